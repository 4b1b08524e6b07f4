import type { Usage } from "../core/usage.js";
import type { FeedbackQuery, FeedbackRecord, FeedbackSummary } from "./feedback-record.js";
import type { ShadowQuery, ShadowRecord, ShadowSummary } from "./shadow-record.js";

/** One upstream attempt within a request (a retry, a fallback, a cascade step, a continuation). */
export interface AttemptRecord {
  model: string;
  /** Why this attempt happened: the routed target, a retry, a fallback, a cascade tier, a stream continuation, a judge call. */
  step: "route" | "retry" | "fallback" | "cascade" | "continuation" | "judge" | "sample";
  outcome: "ok" | "error" | "aborted" | "rejected";
  /** Upstream HTTP status (or the status the error maps to). */
  status?: number;
  error?: string;
  latencyMs: number;
  ttftMs?: number;
  usage?: Usage;
  costUsd?: number;
  /** A stream that broke after it had sent part of an answer. */
  partial?: boolean;
  /** Free-form notes, e.g. the quality gate's verdict. */
  note?: string;
}

export interface RequestLogRecord {
  id: string;
  /** Epoch milliseconds when the request arrived. */
  time: number;
  callerId: string | null;
  /** The `model` the client asked for. */
  requestedModel: string;
  router: string | null;
  score: number | null;
  /** The model that served the answer (null when none did). */
  model: string | null;
  reason: string | null;
  /** HTTP status the client got. */
  status: number;
  error: string | null;
  /** The OpenAI error `code` the client got (`invalid_api_key`, `model_not_found`, …); absent when none. */
  errorCode?: string;
  attempts: AttemptRecord[];
  promptTokens: number;
  completionTokens: number;
  usageEstimated: boolean;
  /** Sum over every attempt, failed partial streams included. */
  costUsd: number;
  ttftMs: number | null;
  latencyMs: number;
  stream: boolean;
  finishReason: string | null;
  /** The request messages as JSON, secrets redacted; null when content logging is off. */
  prompt: string | null;
  answer: string | null;
  /** The client's episode id (`x-rightsize-episode`): many requests of one task. */
  episodeId?: string;
  /** The client's tags (`x-rightsize-tags`, or the body's `metadata` as `key=value`), sorted. */
  tags?: string[];
}

export interface RequestLogQuery {
  limit?: number;
  /** Epoch ms; only requests at or after this time. */
  since?: number;
  model?: string;
  /** Only requests of this client key (its caller id: a config key's id or a virtual key's `key_…`). */
  callerId?: string;
}

/**
 * One model's share of the traffic. Tokens and cost are those of every attempt made on the
 * model (a failed partial stream is charged to the model that produced it, not to the one that
 * finally served the request); `requests` counts the requests it served.
 */
export interface ModelCostRow {
  model: string;
  /** Requests this model served (the "(none)" row: requests no model served). */
  requests: number;
  /** Attempts made on this model, successful or not. */
  attempts: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** One client key's share of the traffic (request-level totals; `(none)`: requests without a key). */
export interface KeyCostRow {
  key: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface CostSummary {
  requests: number;
  /** Request-level totals (as billed to callers: each request once, over all its attempts). */
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  byModel: ModelCostRow[];
  /** Per client key, dearest first. */
  byKey: KeyCostRow[];
}

/**
 * A logged request with what was learned about it since: its current feedback (its own and
 * its episode's) and its shadow judgments. What exports read.
 */
export interface LoggedExchange {
  request: RequestLogRecord;
  /** Current feedback values for the request itself (superseded ones left out). */
  feedback: FeedbackRecord[];
  /** Current feedback values for the request's episode. */
  episodeFeedback: FeedbackRecord[];
  shadows: ShadowRecord[];
}

export interface ExchangeQuery {
  /** Epoch ms; only requests that arrived at or after this time. */
  since?: number;
  /** Only requests with a served model and an answer (default true). */
  servedOnly?: boolean;
  /** Requests read per page (default 500). */
  pageSize?: number;
}

/** The requests of one episode, as far as feedback needs them. */
export interface EpisodeInfo {
  episodeId: string;
  requests: number;
  /** The distinct caller ids of its requests. */
  callerIds: (string | null)[];
}

/**
 * The request log. `append` and `appendShadow` never block the caller: records are queued and
 * written in batches off the hot path. `flush` resolves once everything appended so far is
 * durable. `appendFeedback` writes its records all together or not at all and resolves once
 * they are durable (it rejects when they are not).
 */
export interface RequestLogStore {
  append(record: RequestLogRecord): void;
  appendShadow(record: ShadowRecord): void;
  appendFeedback(records: readonly FeedbackRecord[]): Promise<void>;
  flush(): Promise<void>;
  list(query?: RequestLogQuery): Promise<RequestLogRecord[]>;
  /** One request by id (records still queued are written first, so a fresh id is found). */
  findRequest(id: string): Promise<RequestLogRecord | undefined>;
  findEpisode(episodeId: string): Promise<EpisodeInfo | undefined>;
  listFeedback(query?: FeedbackQuery): Promise<FeedbackRecord[]>;
  feedbackSummary(query?: RequestLogQuery): Promise<FeedbackSummary>;
  listShadow(query?: ShadowQuery): Promise<ShadowRecord[]>;
  shadowSummary(query?: RequestLogQuery): Promise<ShadowSummary>;
  /** Every logged exchange, oldest first, read page by page (never the whole log at once). */
  exchanges(query?: ExchangeQuery): AsyncIterable<LoggedExchange>;
  count(): Promise<number>;
  costSummary(query?: RequestLogQuery): Promise<CostSummary>;
  close(): Promise<void>;
}

/** The read side of a request log, e.g. a read-only view for `rightsize logs` and exports. */
export type RequestLogReader = Pick<
  RequestLogStore,
  | "list"
  | "count"
  | "costSummary"
  | "close"
  | "findRequest"
  | "findEpisode"
  | "listFeedback"
  | "feedbackSummary"
  | "listShadow"
  | "shadowSummary"
  | "exchanges"
>;
