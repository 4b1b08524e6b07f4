import type BetterSqlite3 from "better-sqlite3";
import { compareCostRows, listLimit, NO_MODEL } from "../request-log-query.js";
import type { CostSummary, ModelCostRow, RequestLogQuery, RequestLogRecord } from "../request-log-store.js";
import type { AttemptRow, RequestRow } from "./sqlite-request-log-rows.js";
import { attemptParams, recordFromRows, requestParams } from "./sqlite-request-log-rows.js";

type Database = BetterSqlite3.Database;

const REQUEST_COLUMNS = [
  "id",
  "time",
  "caller_id",
  "requested_model",
  "router",
  "score",
  "model",
  "reason",
  "status",
  "error",
  "error_code",
  "prompt_tokens",
  "completion_tokens",
  "usage_estimated",
  "cost_usd",
  "ttft_ms",
  "latency_ms",
  "stream",
  "finish_reason",
  "prompt",
  "answer",
];
const ATTEMPT_COLUMNS = [
  "request_seq",
  "idx",
  "model",
  "step",
  "outcome",
  "status",
  "error",
  "latency_ms",
  "ttft_ms",
  "prompt_tokens",
  "completion_tokens",
  "usage_estimated",
  "cached_tokens",
  "cost_usd",
  "partial",
  "note",
];

function insertSql(table: string, columns: string[]): string {
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`;
}

/** Prepared inserts; `insert` writes one record (request row and attempt rows). */
export function createRecordInserter(db: Database): (record: RequestLogRecord) => void {
  // A log still at schema v1/v2 (a test, or a reader's own copy) has no error_code column.
  const columns = db.pragma("table_info(requests)") as { name: string }[];
  const present = new Set(columns.map((column) => column.name));
  const requestColumns = REQUEST_COLUMNS.filter((column) => present.has(column));
  const insertRequest = db.prepare(insertSql("requests", requestColumns));
  const insertAttempt = db.prepare(insertSql("attempts", ATTEMPT_COLUMNS));
  return (record) => {
    const seq = Number(insertRequest.run(requestParams(record)).lastInsertRowid);
    for (const [idx, attempt] of record.attempts.entries()) insertAttempt.run(attemptParams(seq, idx, attempt));
  };
}

type TotalsRow = Omit<CostSummary, "byModel">;

/** The WHERE clause of a query over `requests` (its columns prefixed with `table`, e.g. "r."). */
function whereClause(query: RequestLogQuery, table = ""): { sql: string; params: Record<string, string | number> } {
  const conditions: string[] = [];
  const params: Record<string, string | number> = {};
  if (query.since !== undefined) {
    conditions.push(`${table}time >= @since`);
    params.since = query.since;
  }
  if (query.model !== undefined) {
    conditions.push(`${table}model = @model`);
    params.model = query.model;
  }
  if (query.callerId !== undefined) {
    conditions.push(`${table}caller_id = @callerId`);
    params.callerId = query.callerId;
  }
  return { sql: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

/** Synchronous queries over an open request log (used by the writer worker and the read-only reader). */
export class SqliteRequestLogQueries {
  private readonly attemptsOf: BetterSqlite3.Statement<[number], AttemptRow>;
  private readonly countAll: BetterSqlite3.Statement<[], { n: number }>;

  constructor(private readonly db: Database) {
    this.attemptsOf = db.prepare("SELECT * FROM attempts WHERE request_seq = ? ORDER BY idx");
    this.countAll = db.prepare("SELECT count(*) AS n FROM requests");
  }

  list(query: RequestLogQuery = {}): RequestLogRecord[] {
    const limit = listLimit(query);
    const where = whereClause(query);
    const rows = this.db
      .prepare<Record<string, string | number>, RequestRow>(`SELECT * FROM requests ${where.sql} ORDER BY time DESC, id DESC LIMIT @limit`)
      .all({ ...where.params, limit });
    return rows.map((row) => recordFromRows(row, this.attemptsOf.all(row.seq)));
  }

  count(): number {
    return (this.countAll.get() as { n: number }).n;
  }

  costSummary(query: RequestLogQuery = {}): CostSummary {
    const where = whereClause(query, "r.");
    const totals = this.db
      .prepare<Record<string, string | number>, TotalsRow>(
        `SELECT count(*) AS requests, coalesce(sum(prompt_tokens), 0) AS promptTokens,
           coalesce(sum(completion_tokens), 0) AS completionTokens, coalesce(sum(cost_usd), 0) AS costUsd
         FROM requests r ${where.sql}`,
      )
      .get(where.params) as TotalsRow;
    const served = this.db
      .prepare<Record<string, string | number>, { model: string; requests: number }>(
        `SELECT coalesce(r.model, '${NO_MODEL}') AS model, count(*) AS requests FROM requests r ${where.sql} GROUP BY r.model`,
      )
      .all(where.params);
    const attempted = this.db
      .prepare<Record<string, string | number>, Omit<ModelCostRow, "requests">>(
        `SELECT a.model AS model, count(*) AS attempts, coalesce(sum(a.prompt_tokens), 0) AS promptTokens,
           coalesce(sum(a.completion_tokens), 0) AS completionTokens, coalesce(sum(a.cost_usd), 0) AS costUsd
         FROM attempts a JOIN requests r ON r.seq = a.request_seq ${where.sql} GROUP BY a.model`,
      )
      .all(where.params);
    const rows = new Map<string, ModelCostRow>();
    for (const row of attempted) rows.set(row.model, { ...row, requests: 0 });
    for (const row of served) {
      const existing = rows.get(row.model);
      if (existing) existing.requests = row.requests;
      else rows.set(row.model, { model: row.model, requests: row.requests, attempts: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 });
    }
    return { ...totals, byModel: [...rows.values()].sort(compareCostRows) };
  }
}
