import type { Pool } from "pg";
import { compareCostRows, compareKeyRows, listLimit, NO_KEY, NO_MODEL } from "../request-log-query.js";
import type { FeedbackQuery, FeedbackRecord, FeedbackSummary } from "../feedback-record.js";
import { currentFeedback, emptyShadowSummary, joinExchanges, shadowSummaryFromTotals, summarizeFeedback } from "../feedback-query.js";
import { type FeedbackRow, feedbackFromRow, type ShadowRow, shadowFromRow } from "../feedback-rows.js";
import type { ExchangeQuery, LoggedExchange } from "../request-log-store.js";
import type { ExchangeCursor } from "../read-exchange-pages.js";
import type { CostSummary, EpisodeInfo, KeyCostRow, ModelCostRow, RequestLogQuery, RequestLogRecord } from "../request-log-store.js";
import type { ShadowQuery, ShadowRecord, ShadowSummary } from "../shadow-record.js";
import { ATTEMPT_COLUMNS, columnNames } from "./postgres-request-log-columns.js";
import { quoteIdent, tableNamer } from "./postgres-migration.js";
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
  private learningTables: Promise<boolean> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.t = tableNamer(schema);
  }

  async list(query: RequestLogQuery = {}): Promise<RequestLogRecord[]> {
    const limit = listLimit(query);
    const where = whereClause(query);
    // r.*: a reader of a schema an older gateway migrated sees the columns it has.
    const requests = await this.pool.query<PostgresRequestRow & { seq: number }>(
      `SELECT r.* FROM ${this.t("requests")} r ${where.sql}
       ORDER BY r.time DESC, r.id DESC LIMIT $${where.params.length + 1}`,
      [...where.params, limit],
    );
    return this.withAttempts(requests.rows);
  }

  async findRequest(id: string): Promise<RequestLogRecord | undefined> {
    const requests = await this.pool.query<PostgresRequestRow & { seq: number }>(
      `SELECT r.* FROM ${this.t("requests")} r WHERE r.id = $1`,
      [id],
    );
    return (await this.withAttempts(requests.rows))[0];
  }

  async findEpisode(episodeId: string): Promise<EpisodeInfo | undefined> {
    if (!(await this.hasLearningTables())) return undefined;
    const rows = await this.pool.query<{ caller_id: string | null; n: number }>(
      `SELECT caller_id, count(*) AS n FROM ${this.t("requests")} WHERE episode_id = $1 GROUP BY caller_id ORDER BY caller_id`,
      [episodeId],
    );
    if (rows.rows.length === 0) return undefined;
    return { episodeId, requests: rows.rows.reduce((sum, row) => sum + row.n, 0), callerIds: rows.rows.map((row) => row.caller_id) };
  }

  async listFeedback(query: FeedbackQuery = {}): Promise<FeedbackRecord[]> {
    const limit = listLimit(query);
    if (!(await this.hasLearningTables())) return [];
    const conditions: string[] = [];
    const params: (string | number)[] = [];
    for (const [key, column] of [
      ["requestId", "request_id"],
      ["episodeId", "episode_id"],
      ["metric", "metric"],
    ] as const) {
      const value = query[key];
      if (value !== undefined) {
        params.push(value);
        conditions.push(`${column} = $${params.length}`);
      }
    }
    if (query.since !== undefined) {
      params.push(query.since);
      conditions.push(`time >= $${params.length}`);
    }
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const rows = await this.pool.query<FeedbackRow>(`SELECT * FROM ${this.t("feedback")} ${where} ORDER BY seq`, params);
    const records = rows.rows.map(feedbackFromRow);
    return (query.history ? records : currentFeedback(records)).slice(0, limit);
  }

  async feedbackSummary(query: RequestLogQuery = {}): Promise<FeedbackSummary> {
    if (!(await this.hasLearningTables())) return summarizeFeedback([]);
    const conditions: string[] = [];
    const params: (string | number)[] = [];
    if (query.since !== undefined) {
      params.push(query.since);
      conditions.push(`f.time >= $${params.length}`);
    }
    if (query.model !== undefined) {
      params.push(query.model);
      conditions.push(`r.model = $${params.length}`);
    }
    const join = query.model !== undefined ? `JOIN ${this.t("requests")} r ON r.id = f.request_id` : "";
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const rows = await this.pool.query<FeedbackRow>(`SELECT f.* FROM ${this.t("feedback")} f ${join} ${where} ORDER BY f.seq`, params);
    return summarizeFeedback(rows.rows.map(feedbackFromRow));
  }

  async listShadow(query: ShadowQuery = {}): Promise<ShadowRecord[]> {
    const limit = listLimit(query);
    if (!(await this.hasLearningTables())) return [];
    const conditions: string[] = [];
    const params: (string | number)[] = [];
    if (query.requestId !== undefined) {
      params.push(query.requestId);
      conditions.push(`request_id = $${params.length}`);
    }
    if (query.since !== undefined) {
      params.push(query.since);
      conditions.push(`time >= $${params.length}`);
    }
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    params.push(limit);
    const rows = await this.pool.query<ShadowRow>(
      `SELECT * FROM ${this.t("shadow_judgments")} ${where} ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return rows.rows.map(shadowFromRow);
  }

  async shadowSummary(query: RequestLogQuery = {}): Promise<ShadowSummary> {
    if (!(await this.hasLearningTables())) return emptyShadowSummary();
    const conditions: string[] = [];
    const params: (string | number)[] = [];
    if (query.since !== undefined) {
      params.push(query.since);
      conditions.push(`time >= $${params.length}`);
    }
    if (query.model !== undefined) {
      params.push(query.model);
      conditions.push(`served_model = $${params.length}`);
    }
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const result = await this.pool.query<Record<string, number>>(
      `SELECT count(*) AS judgments, count(*) FILTER (WHERE unparseable) AS unparseable,
         count(*) FILTER (WHERE error IS NOT NULL) AS failed,
         count(*) FILTER (WHERE direction = 'up') AS up, count(*) FILTER (WHERE direction = 'down') AS down,
         coalesce(sum(shadow_cost_usd), 0) AS "shadowCostUsd", coalesce(sum(judge_cost_usd), 0) AS "judgeCostUsd",
         coalesce(sum(prompt_tokens), 0)::bigint AS "promptTokens", coalesce(sum(completion_tokens), 0)::bigint AS "completionTokens"
       FROM ${this.t("shadow_judgments")} ${where}`,
      params,
    );
    return shadowSummaryFromTotals(result.rows[0] ?? {});
  }

  /** One page of exchanges after `cursor`, oldest first (keyset pagination over the time index). */
  async exchangePage(query: ExchangeQuery, cursor: ExchangeCursor | undefined, limit: number): Promise<LoggedExchange[]> {
    const conditions: string[] = [];
    const params: (string | number)[] = [];
    if (query.since !== undefined) {
      params.push(query.since);
      conditions.push(`r.time >= $${params.length}`);
    }
    if (query.servedOnly ?? true) conditions.push("r.status = 200 AND r.model IS NOT NULL");
    if (cursor) {
      params.push(cursor.time, cursor.id);
      conditions.push(`(r.time, r.id) > ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit);
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const rows = await this.pool.query<PostgresRequestRow & { seq: number }>(
      `SELECT r.* FROM ${this.t("requests")} r ${where} ORDER BY r.time, r.id LIMIT $${params.length}`,
      params,
    );
    const requests = await this.withAttempts(rows.rows);
    if (requests.length === 0) return [];
    if (!(await this.hasLearningTables())) return requests.map((request) => ({ request, feedback: [], episodeFeedback: [], shadows: [] }));
    const ids = requests.map((request) => request.id);
    const episodes = [...new Set(requests.flatMap((request) => (request.episodeId ? [request.episodeId] : [])))];
    const [own, ofEpisodes, shadows] = await Promise.all([
      this.pool.query<FeedbackRow>(`SELECT * FROM ${this.t("feedback")} WHERE request_id = ANY($1::text[]) ORDER BY seq`, [ids]),
      episodes.length
        ? this.pool.query<FeedbackRow>(`SELECT * FROM ${this.t("feedback")} WHERE episode_id = ANY($1::text[]) ORDER BY seq`, [episodes])
        : Promise.resolve({ rows: [] as FeedbackRow[] }),
      this.pool.query<ShadowRow>(`SELECT * FROM ${this.t("shadow_judgments")} WHERE request_id = ANY($1::text[]) ORDER BY seq`, [ids]),
    ]);
    return joinExchanges(
      requests,
      currentFeedback(own.rows.map(feedbackFromRow)),
      currentFeedback(ofEpisodes.rows.map(feedbackFromRow)),
      shadows.rows.map(shadowFromRow),
    );
  }

  /** Whether the schema has the feedback and shadow tables (v3); a reader of an older one finds none. */
  private hasLearningTables(): Promise<boolean> {
    this.learningTables ??= this.pool
      .query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [`${quoteIdent(this.schema)}.feedback`])
      .then((result) => result.rows[0]?.found === true)
      .catch((error: unknown) => {
        this.learningTables = undefined;
        throw error;
      });
    return this.learningTables;
  }

  private async withAttempts(rows: (PostgresRequestRow & { seq: number })[]): Promise<RequestLogRecord[]> {
    if (rows.length === 0) return [];
    const attempts = await this.pool.query<PostgresAttemptRow & { request_seq: number }>(
      `SELECT request_seq, ${columnNames(ATTEMPT_COLUMNS).join(", ")} FROM ${this.t("attempts")}
       WHERE request_seq = ANY($1::bigint[]) ORDER BY request_seq, idx`,
      [rows.map((row) => row.seq)],
    );
    const bySeq = new Map<number, PostgresAttemptRow[]>();
    for (const attempt of attempts.rows) {
      let list = bySeq.get(attempt.request_seq);
      if (!list) bySeq.set(attempt.request_seq, (list = []));
      list.push(attempt);
    }
    return rows.map((row) => recordFromRows(row, bySeq.get(row.seq) ?? []));
  }

  async count(): Promise<number> {
    const result = await this.pool.query<{ n: number }>(`SELECT count(*) AS n FROM ${this.t("requests")}`);
    return result.rows[0]?.n ?? 0;
  }

  async costSummary(query: RequestLogQuery = {}): Promise<CostSummary> {
    const where = whereClause(query);
    const [totals, served, attempted, keys] = await Promise.all([
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
      this.pool.query<KeyCostRow>(
        `SELECT coalesce(r.caller_id, '${NO_KEY}') AS key, count(*) AS requests, coalesce(sum(r.prompt_tokens), 0)::bigint AS "promptTokens",
           coalesce(sum(r.completion_tokens), 0)::bigint AS "completionTokens", coalesce(sum(r.cost_usd), 0) AS "costUsd"
         FROM ${this.t("requests")} r ${where.sql} GROUP BY r.caller_id`,
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
    const byKey = keys.rows.map((row) => ({
      ...row,
      requests: Number(row.requests),
      promptTokens: Number(row.promptTokens),
      completionTokens: Number(row.completionTokens),
      costUsd: Number(row.costUsd),
    }));
    return { ...total, byModel: [...rows.values()].sort(compareCostRows), byKey: byKey.sort(compareKeyRows) };
  }
}
