import type { Pool } from "pg";
import { compareCostRows, listLimit, NO_MODEL } from "../request-log-query.js";
import type { CostSummary, ModelCostRow, RequestLogQuery, RequestLogRecord } from "../request-log-store.js";
import { ATTEMPT_COLUMNS, columnNames, REQUEST_COLUMNS } from "./postgres-request-log-columns.js";
import { tableNamer } from "./postgres-migration.js";
import type { PostgresAttemptRow, PostgresRequestRow } from "./postgres-request-log-rows.js";
import { recordFromRows } from "./postgres-request-log-rows.js";

type TotalsRow = Omit<CostSummary, "byModel">;

/** The WHERE clause of a query over `requests` (aliased `r`) and its parameters. */
function whereClause(query: RequestLogQuery): { sql: string; params: (string | number)[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (query.since !== undefined) {
    params.push(query.since);
    conditions.push(`r.time >= $${params.length}`);
  }
  if (query.model !== undefined) {
    params.push(query.model);
    conditions.push(`r.model = $${params.length}`);
  }
  if (query.callerId !== undefined) {
    params.push(query.callerId);
    conditions.push(`r.caller_id = $${params.length}`);
  }
  return { sql: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

/** The read queries of the PostgreSQL request log: the same semantics as SQLite's (`rightsize logs` reads either). */
export class PostgresRequestLogQueries {
  private readonly t: (name: string) => string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = tableNamer(schema);
  }

  async list(query: RequestLogQuery = {}): Promise<RequestLogRecord[]> {
    const limit = listLimit(query);
    const where = whereClause(query);
    const requests = await this.pool.query<PostgresRequestRow & { seq: number }>(
      `SELECT r.seq, ${columnNames(REQUEST_COLUMNS)
        .map((c) => `r.${c}`)
        .join(", ")} FROM ${this.t("requests")} r ${where.sql}
       ORDER BY r.time DESC, r.id DESC LIMIT $${where.params.length + 1}`,
      [...where.params, limit],
    );
    if (requests.rows.length === 0) return [];
    const attempts = await this.pool.query<PostgresAttemptRow & { request_seq: number }>(
      `SELECT request_seq, ${columnNames(ATTEMPT_COLUMNS).join(", ")} FROM ${this.t("attempts")}
       WHERE request_seq = ANY($1::bigint[]) ORDER BY request_seq, idx`,
      [requests.rows.map((row) => row.seq)],
    );
    const bySeq = new Map<number, PostgresAttemptRow[]>();
    for (const attempt of attempts.rows) {
      let list = bySeq.get(attempt.request_seq);
      if (!list) bySeq.set(attempt.request_seq, (list = []));
      list.push(attempt);
    }
    return requests.rows.map((row) => recordFromRows(row, bySeq.get(row.seq) ?? []));
  }

  async count(): Promise<number> {
    const result = await this.pool.query<{ n: number }>(`SELECT count(*) AS n FROM ${this.t("requests")}`);
    return result.rows[0]?.n ?? 0;
  }

  async costSummary(query: RequestLogQuery = {}): Promise<CostSummary> {
    const where = whereClause(query);
    const [totals, served, attempted] = await Promise.all([
      this.pool.query<TotalsRow>(
        `SELECT count(*) AS requests, coalesce(sum(r.prompt_tokens), 0)::bigint AS "promptTokens",
           coalesce(sum(r.completion_tokens), 0)::bigint AS "completionTokens", coalesce(sum(r.cost_usd), 0) AS "costUsd"
         FROM ${this.t("requests")} r ${where.sql}`,
        where.params,
      ),
      this.pool.query<{ model: string; requests: number }>(
        `SELECT coalesce(r.model, '${NO_MODEL}') AS model, count(*) AS requests FROM ${this.t("requests")} r ${where.sql} GROUP BY r.model`,
        where.params,
      ),
      this.pool.query<Omit<ModelCostRow, "requests">>(
        `SELECT a.model, count(*) AS attempts, coalesce(sum(a.prompt_tokens), 0)::bigint AS "promptTokens",
           coalesce(sum(a.completion_tokens), 0)::bigint AS "completionTokens", coalesce(sum(a.cost_usd), 0) AS "costUsd"
         FROM ${this.t("attempts")} a JOIN ${this.t("requests")} r ON r.seq = a.request_seq ${where.sql} GROUP BY a.model`,
        where.params,
      ),
    ]);
    const rows = new Map<string, ModelCostRow>();
    for (const row of attempted.rows) rows.set(row.model, { ...row, requests: 0 });
    for (const row of served.rows) {
      const existing = rows.get(row.model);
      if (existing) existing.requests = row.requests;
      else rows.set(row.model, { model: row.model, requests: row.requests, attempts: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 });
    }
    const total = totals.rows[0] ?? { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
    return { ...total, byModel: [...rows.values()].sort(compareCostRows) };
  }
}
