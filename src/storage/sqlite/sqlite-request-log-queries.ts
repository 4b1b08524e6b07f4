import type BetterSqlite3 from "better-sqlite3";
import { compareCostRows, listLimit, NO_MODEL } from "../request-log-query.js";
import type { CostSummary, ModelCostRow, RequestLogQuery, RequestLogRecord } from "../request-log-store.js";
import type { AttemptRow, RequestRow } from "./sqlite-request-log-rows.js";
import { attemptParams, recordFromRows, requestParams } from "./sqlite-request-log-rows.js";

type Database = BetterSqlite3.Database;

const REQUEST_COLUMNS = [
  "id", "time", "caller_id", "requested_model", "router", "score", "model", "reason", "status", "error",
  "prompt_tokens", "completion_tokens", "usage_estimated", "cost_usd", "ttft_ms", "latency_ms", "stream",
  "finish_reason", "prompt", "answer",
];
const ATTEMPT_COLUMNS = [
  "request_seq", "idx", "model", "step", "outcome", "status", "error", "latency_ms", "ttft_ms", "prompt_tokens",
  "completion_tokens", "usage_estimated", "cached_tokens", "cost_usd", "partial", "note",
];

function insertSql(table: string, columns: string[]): string {
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`;
}

/** Prepared inserts; `insert` writes one record (request row and attempt rows). */
export function createRecordInserter(db: Database): (record: RequestLogRecord) => void {
  const insertRequest = db.prepare(insertSql("requests", REQUEST_COLUMNS));
  const insertAttempt = db.prepare(insertSql("attempts", ATTEMPT_COLUMNS));
  return (record) => {
    const seq = Number(insertRequest.run(requestParams(record)).lastInsertRowid);
    record.attempts.forEach((attempt, idx) => insertAttempt.run(attemptParams(seq, idx, attempt)));
  };
}

function whereClause(query: RequestLogQuery): { sql: string; params: Record<string, string | number> } {
  const conditions: string[] = [];
  const params: Record<string, string | number> = {};
  if (query.since !== undefined) {
    conditions.push("time >= @since");
    params.since = query.since;
  }
  if (query.model !== undefined) {
    conditions.push("model = @model");
    params.model = query.model;
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
      .prepare<Record<string, string | number>, RequestRow>(
        `SELECT * FROM requests ${where.sql} ORDER BY time DESC, id DESC LIMIT @limit`,
      )
      .all({ ...where.params, limit });
    return rows.map((row) => recordFromRows(row, this.attemptsOf.all(row.seq)));
  }

  count(): number {
    return (this.countAll.get() as { n: number }).n;
  }

  costSummary(query: RequestLogQuery = {}): CostSummary {
    const where = whereClause(query);
    const rows = this.db
      .prepare<Record<string, string | number>, ModelCostRow>(
        `SELECT coalesce(model, '${NO_MODEL}') AS model, count(*) AS requests,
           sum(prompt_tokens) AS promptTokens, sum(completion_tokens) AS completionTokens, sum(cost_usd) AS costUsd
         FROM requests ${where.sql} GROUP BY model`,
      )
      .all(where.params)
      .sort(compareCostRows);
    let requests = 0;
    let costUsd = 0;
    for (const row of rows) {
      requests += row.requests;
      costUsd += row.costUsd;
    }
    return { requests, costUsd, byModel: rows };
  }
}
