import type BetterSqlite3 from "better-sqlite3";
import { compareCostRows, compareKeyRows, listLimit, NO_KEY, NO_MODEL } from "../request-log-query.js";
import type { FeedbackQuery, FeedbackRecord, FeedbackSummary } from "../feedback-record.js";
import { currentFeedback, emptyShadowSummary, joinExchanges, shadowSummaryFromTotals, summarizeFeedback } from "../feedback-query.js";
import {
  FEEDBACK_COLUMNS,
  type FeedbackRow,
  feedbackFromRow,
  feedbackParams,
  SHADOW_COLUMNS,
  type ShadowRow,
  shadowFromRow,
  shadowParams,
} from "../feedback-rows.js";
import type { ExchangeQuery, LoggedExchange } from "../request-log-store.js";
import type { ExchangeCursor } from "../read-exchange-pages.js";
import type { CostSummary, EpisodeInfo, KeyCostRow, ModelCostRow, RequestLogQuery, RequestLogRecord } from "../request-log-store.js";
import type { ShadowQuery, ShadowRecord, ShadowSummary } from "../shadow-record.js";
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
  "episode_id",
  "tags",
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

function insertSql(table: string, columns: readonly string[]): string {
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

/** Prepared inserts of feedback (all of a call in one transaction) and shadow judgments. */
export function createFeedbackInserters(db: Database): {
  feedback: (records: readonly FeedbackRecord[]) => void;
  shadow: (record: ShadowRecord) => void;
} {
  const insertFeedback = db.prepare(insertSql("feedback", FEEDBACK_COLUMNS));
  const insertShadow = db.prepare(insertSql("shadow_judgments", SHADOW_COLUMNS));
  const feedback = db.transaction((records: readonly FeedbackRecord[]) => {
    for (const record of records) insertFeedback.run(feedbackParams(record));
  });
  return { feedback: (records) => feedback(records), shadow: (record) => void insertShadow.run(shadowParams(record)) };
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

  private readonly learning: boolean;

  constructor(private readonly db: Database) {
    this.attemptsOf = db.prepare("SELECT * FROM attempts WHERE request_seq = ? ORDER BY idx");
    this.countAll = db.prepare("SELECT count(*) AS n FROM requests");
    // A log older than schema v4 (read-only) has no feedback or shadow tables: it has none of either.
    this.learning = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feedback'").get() !== undefined;
  }

  findRequest(id: string): RequestLogRecord | undefined {
    const row = this.db.prepare<[string], RequestRow>("SELECT * FROM requests WHERE id = ?").get(id);
    return row ? recordFromRows(row, this.attemptsOf.all(row.seq)) : undefined;
  }

  findEpisode(episodeId: string): EpisodeInfo | undefined {
    if (!this.learning) return undefined;
    const rows = this.db
      .prepare<[string], { caller_id: string | null; n: number }>(
        "SELECT caller_id, count(*) AS n FROM requests WHERE episode_id = ? GROUP BY caller_id ORDER BY caller_id",
      )
      .all(episodeId);
    if (rows.length === 0) return undefined;
    return { episodeId, requests: rows.reduce((sum, row) => sum + row.n, 0), callerIds: rows.map((row) => row.caller_id) };
  }

  listFeedback(query: FeedbackQuery = {}): FeedbackRecord[] {
    if (!this.learning) return [];
    const limit = listLimit(query);
    const conditions: string[] = [];
    const params: Record<string, string | number> = {};
    for (const [key, column] of [
      ["requestId", "request_id"],
      ["episodeId", "episode_id"],
      ["metric", "metric"],
    ] as const) {
      const value = query[key];
      if (value !== undefined) {
        conditions.push(`${column} = @${key}`);
        params[key] = value;
      }
    }
    if (query.since !== undefined) {
      conditions.push("time >= @since");
      params.since = query.since;
    }
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const rows = this.db.prepare<Record<string, string | number>, FeedbackRow>(`SELECT * FROM feedback ${where} ORDER BY seq`).all(params);
    const records = rows.map(feedbackFromRow);
    return (query.history ? records : currentFeedback(records)).slice(0, limit);
  }

  feedbackSummary(query: RequestLogQuery = {}): FeedbackSummary {
    if (!this.learning) return summarizeFeedback([]);
    const conditions: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.since !== undefined) {
      conditions.push("f.time >= @since");
      params.since = query.since;
    }
    if (query.model !== undefined) {
      conditions.push("r.model = @model");
      params.model = query.model;
    }
    const join = query.model !== undefined ? "JOIN requests r ON r.id = f.request_id" : "";
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const rows = this.db
      .prepare<Record<string, string | number>, FeedbackRow>(`SELECT f.* FROM feedback f ${join} ${where} ORDER BY f.seq`)
      .all(params);
    return summarizeFeedback(rows.map(feedbackFromRow));
  }

  listShadow(query: ShadowQuery = {}): ShadowRecord[] {
    if (!this.learning) return [];
    const conditions: string[] = [];
    const params: Record<string, string | number> = { limit: listLimit(query) };
    if (query.requestId !== undefined) {
      conditions.push("request_id = @requestId");
      params.requestId = query.requestId;
    }
    if (query.since !== undefined) {
      conditions.push("time >= @since");
      params.since = query.since;
    }
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    return this.db
      .prepare<Record<string, string | number>, ShadowRow>(`SELECT * FROM shadow_judgments ${where} ORDER BY seq LIMIT @limit`)
      .all(params)
      .map(shadowFromRow);
  }

  shadowSummary(query: RequestLogQuery = {}): ShadowSummary {
    if (!this.learning) return emptyShadowSummary();
    const conditions: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.since !== undefined) {
      conditions.push("time >= @since");
      params.since = query.since;
    }
    if (query.model !== undefined) {
      conditions.push("served_model = @model");
      params.model = query.model;
    }
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const row = this.db
      .prepare<Record<string, string | number>, Record<string, number>>(
        `SELECT count(*) AS judgments, coalesce(sum(unparseable), 0) AS unparseable,
           coalesce(sum(error IS NOT NULL), 0) AS failed,
           coalesce(sum(direction = 'up'), 0) AS up, coalesce(sum(direction = 'down'), 0) AS down,
           coalesce(sum(shadow_cost_usd), 0) AS shadowCostUsd, coalesce(sum(judge_cost_usd), 0) AS judgeCostUsd,
           coalesce(sum(prompt_tokens), 0) AS promptTokens, coalesce(sum(completion_tokens), 0) AS completionTokens
         FROM shadow_judgments ${where}`,
      )
      .get(params) as Record<string, number>;
    return shadowSummaryFromTotals(row);
  }

  /** One page of exchanges after `cursor`, oldest first (keyset pagination over the time index). */
  exchangePage(query: ExchangeQuery, cursor: ExchangeCursor | undefined, limit: number): LoggedExchange[] {
    const conditions: string[] = [];
    const params: Record<string, string | number> = { limit };
    if (query.since !== undefined) {
      conditions.push("time >= @since");
      params.since = query.since;
    }
    if (query.servedOnly ?? true) conditions.push("status = 200 AND model IS NOT NULL");
    if (cursor) {
      conditions.push("(time > @afterTime OR (time = @afterTime AND id > @afterId))");
      params.afterTime = cursor.time;
      params.afterId = cursor.id;
    }
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const rows = this.db
      .prepare<Record<string, string | number>, RequestRow>(`SELECT * FROM requests ${where} ORDER BY time, id LIMIT @limit`)
      .all(params);
    if (rows.length === 0) return [];
    const requests = rows.map((row) => recordFromRows(row, this.attemptsOf.all(row.seq)));
    if (!this.learning) return requests.map((request) => ({ request, feedback: [], episodeFeedback: [], shadows: [] }));
    const ids = JSON.stringify(requests.map((request) => request.id));
    const episodes = JSON.stringify([...new Set(requests.flatMap((request) => (request.episodeId ? [request.episodeId] : [])))]);
    const own = currentFeedback(
      this.db
        .prepare<[string], FeedbackRow>("SELECT * FROM feedback WHERE request_id IN (SELECT value FROM json_each(?)) ORDER BY seq")
        .all(ids)
        .map(feedbackFromRow),
    );
    const ofEpisodes = currentFeedback(
      this.db
        .prepare<[string], FeedbackRow>("SELECT * FROM feedback WHERE episode_id IN (SELECT value FROM json_each(?)) ORDER BY seq")
        .all(episodes)
        .map(feedbackFromRow),
    );
    const shadows = this.db
      .prepare<[string], ShadowRow>("SELECT * FROM shadow_judgments WHERE request_id IN (SELECT value FROM json_each(?)) ORDER BY seq")
      .all(ids)
      .map(shadowFromRow);
    return joinExchanges(requests, own, ofEpisodes, shadows);
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
    const byKey = this.db
      .prepare<Record<string, string | number>, KeyCostRow>(
        `SELECT coalesce(r.caller_id, '${NO_KEY}') AS key, count(*) AS requests, coalesce(sum(r.prompt_tokens), 0) AS promptTokens,
           coalesce(sum(r.completion_tokens), 0) AS completionTokens, coalesce(sum(r.cost_usd), 0) AS costUsd
         FROM requests r ${where.sql} GROUP BY r.caller_id`,
      )
      .all(where.params);
    return { ...totals, byModel: [...rows.values()].sort(compareCostRows), byKey: byKey.sort(compareKeyRows) };
  }
}
