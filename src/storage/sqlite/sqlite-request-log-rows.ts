import type { AttemptRecord, RequestLogRecord } from "../request-log-store.js";

/** A `requests` row (snake_case columns; booleans as 0/1). */
export interface RequestRow {
  seq: number;
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
  /** Added in schema v3: undefined when reading an older log. */
  error_code?: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  usage_estimated: number;
  cost_usd: number;
  ttft_ms: number | null;
  latency_ms: number;
  stream: number;
  finish_reason: string | null;
  prompt: string | null;
  answer: string | null;
  /** Added in schema v4: undefined when reading an older log. */
  episode_id?: string | null;
  /** JSON array of tags (v4). */
  tags?: string | null;
}

/** An `attempts` row. */
export interface AttemptRow {
  request_seq: number;
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
  usage_estimated: number | null;
  cached_tokens: number | null;
  cost_usd: number | null;
  partial: number | null;
  note: string | null;
}

export function requestParams(r: RequestLogRecord): Omit<RequestRow, "seq"> {
  return {
    id: r.id,
    time: r.time,
    caller_id: r.callerId,
    requested_model: r.requestedModel,
    router: r.router,
    score: r.score,
    model: r.model,
    reason: r.reason,
    status: r.status,
    error: r.error,
    error_code: r.errorCode ?? null,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    usage_estimated: r.usageEstimated ? 1 : 0,
    cost_usd: r.costUsd,
    ttft_ms: r.ttftMs,
    latency_ms: r.latencyMs,
    stream: r.stream ? 1 : 0,
    finish_reason: r.finishReason,
    prompt: r.prompt,
    answer: r.answer,
    episode_id: r.episodeId ?? null,
    tags: r.tags === undefined ? null : JSON.stringify(r.tags),
  };
}

export function attemptParams(requestSeq: number, idx: number, a: AttemptRecord): AttemptRow {
  return {
    request_seq: requestSeq,
    idx,
    model: a.model,
    step: a.step,
    outcome: a.outcome,
    status: a.status ?? null,
    error: a.error ?? null,
    latency_ms: a.latencyMs,
    ttft_ms: a.ttftMs ?? null,
    prompt_tokens: a.usage?.prompt_tokens ?? null,
    completion_tokens: a.usage?.completion_tokens ?? null,
    usage_estimated: a.usage ? (a.usage.estimated ? 1 : 0) : null,
    cached_tokens: a.usage?.prompt_tokens_details?.cached_tokens ?? null,
    cost_usd: a.costUsd ?? null,
    partial: a.partial === undefined ? null : a.partial ? 1 : 0,
    note: a.note ?? null,
  };
}

export function recordFromRows(row: RequestRow, attempts: AttemptRow[]): RequestLogRecord {
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
    usageEstimated: row.usage_estimated === 1,
    costUsd: row.cost_usd,
    ttftMs: row.ttft_ms,
    latencyMs: row.latency_ms,
    stream: row.stream === 1,
    finishReason: row.finish_reason,
    prompt: row.prompt,
    answer: row.answer,
  };
  if (row.error_code != null) record.errorCode = row.error_code;
  if (row.episode_id != null) record.episodeId = row.episode_id;
  if (row.tags != null) record.tags = JSON.parse(row.tags) as string[];
  return record;
}

function attemptFromRow(row: AttemptRow): AttemptRecord {
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
    if (row.usage_estimated === 1) attempt.usage.estimated = true;
    if (row.cached_tokens !== null) attempt.usage.prompt_tokens_details = { cached_tokens: row.cached_tokens };
  }
  if (row.cost_usd !== null) attempt.costUsd = row.cost_usd;
  if (row.partial !== null) attempt.partial = row.partial === 1;
  if (row.note !== null) attempt.note = row.note;
  return attempt;
}
