import type { AttemptRecord, RequestLogRecord } from "../request-log-store.js";

/** A `requests` row as the writer sends it and the readers get it back (numbers parsed, booleans native). */
export interface PostgresRequestRow {
  id: string;
  time: number;
  caller_id: string | null;
  requested_model: string;
  router: string | null;
  score: number | null;
  model: string | null;
  reason: string | null;
  status: number;
  error: string | null;
  error_code: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  usage_estimated: boolean;
  cost_usd: number;
  ttft_ms: number | null;
  latency_ms: number;
  stream: boolean;
  finish_reason: string | null;
  prompt: string | null;
  answer: string | null;
  episode_id: string | null;
  tags: string[] | null;
}

export interface PostgresAttemptRow {
  idx: number;
  model: string;
  step: string;
  outcome: string;
  status: number | null;
  error: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  usage_estimated: boolean | null;
  cached_tokens: number | null;
  cost_usd: number | null;
  partial: boolean | null;
  note: string | null;
}

/**
 * PostgreSQL text cannot hold U+0000 and its JSON parser rejects unpaired surrogates, both of
 * which a JavaScript string (a prompt, an upstream error) may contain: they become U+FFFD, so
 * one odd character never costs a whole batch.
 */
export function pgText<T extends string | null>(value: T): T {
  if (value === null) return value;
  let text: string = value;
  // ES2024 String methods (Node >= 20), not yet in the ES2023 lib the project compiles against.
  const unicode = text as unknown as { isWellFormed(): boolean; toWellFormed(): string };
  if (!unicode.isWellFormed()) text = unicode.toWellFormed();
  if (text.includes("\u0000")) text = text.replaceAll("\u0000", "\uFFFD");
  return text as T;
}

export function requestRow(r: RequestLogRecord): PostgresRequestRow {
  return {
    id: pgText(r.id),
    time: r.time,
    caller_id: pgText(r.callerId),
    requested_model: pgText(r.requestedModel),
    router: pgText(r.router),
    score: r.score,
    model: pgText(r.model),
    reason: pgText(r.reason),
    status: r.status,
    error: pgText(r.error),
    error_code: r.errorCode === undefined ? null : pgText(r.errorCode),
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    usage_estimated: r.usageEstimated,
    cost_usd: r.costUsd,
    ttft_ms: r.ttftMs,
    latency_ms: r.latencyMs,
    stream: r.stream,
    finish_reason: pgText(r.finishReason),
    prompt: pgText(r.prompt),
    answer: pgText(r.answer),
    episode_id: r.episodeId === undefined ? null : pgText(r.episodeId),
    tags: r.tags === undefined ? null : r.tags.map((tag) => pgText(tag)),
  };
}

export function attemptRow(idx: number, a: AttemptRecord): PostgresAttemptRow {
  return {
    idx,
    model: pgText(a.model),
    step: a.step,
    outcome: a.outcome,
    status: a.status ?? null,
    error: a.error === undefined ? null : pgText(a.error),
    latency_ms: a.latencyMs,
    ttft_ms: a.ttftMs ?? null,
    prompt_tokens: a.usage?.prompt_tokens ?? null,
    completion_tokens: a.usage?.completion_tokens ?? null,
    usage_estimated: a.usage ? a.usage.estimated === true : null,
    cached_tokens: a.usage?.prompt_tokens_details?.cached_tokens ?? null,
    cost_usd: a.costUsd ?? null,
    partial: a.partial ?? null,
    note: a.note === undefined ? null : pgText(a.note),
  };
}

export function recordFromRows(row: PostgresRequestRow, attempts: PostgresAttemptRow[]): RequestLogRecord {
  const record: RequestLogRecord = {
    id: row.id,
    time: row.time,
    callerId: row.caller_id,
    requestedModel: row.requested_model,
    router: row.router,
    score: row.score,
    model: row.model,
    reason: row.reason,
    status: row.status,
    error: row.error,
    attempts: attempts.map(attemptFromRow),
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    usageEstimated: row.usage_estimated,
    costUsd: row.cost_usd,
    ttftMs: row.ttft_ms,
    latencyMs: row.latency_ms,
    stream: row.stream,
    finishReason: row.finish_reason,
    prompt: row.prompt,
    answer: row.answer,
  };
  if (row.error_code != null) record.errorCode = row.error_code;
  if (row.episode_id != null) record.episodeId = row.episode_id;
  if (row.tags != null) record.tags = row.tags;
  return record;
}

function attemptFromRow(row: PostgresAttemptRow): AttemptRecord {
  const attempt: AttemptRecord = {
    model: row.model,
    step: row.step as AttemptRecord["step"],
    outcome: row.outcome as AttemptRecord["outcome"],
    latencyMs: row.latency_ms,
  };
  if (row.status !== null) attempt.status = row.status;
  if (row.error !== null) attempt.error = row.error;
  if (row.ttft_ms !== null) attempt.ttftMs = row.ttft_ms;
  if (row.prompt_tokens !== null && row.completion_tokens !== null) {
    attempt.usage = {
      prompt_tokens: row.prompt_tokens,
      completion_tokens: row.completion_tokens,
      total_tokens: row.prompt_tokens + row.completion_tokens,
    };
    if (row.usage_estimated === true) attempt.usage.estimated = true;
    if (row.cached_tokens !== null) attempt.usage.prompt_tokens_details = { cached_tokens: row.cached_tokens };
  }
  if (row.cost_usd !== null) attempt.costUsd = row.cost_usd;
  if (row.partial !== null) attempt.partial = row.partial;
  if (row.note !== null) attempt.note = row.note;
  return attempt;
}
