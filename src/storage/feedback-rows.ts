import type { FeedbackRecord, FeedbackSource } from "./feedback-record.js";
import { type FeedbackValueColumns, feedbackValueColumns, feedbackValueFrom } from "./feedback-value-columns.js";
import type { ShadowRecord } from "./shadow-record.js";

/** A `feedback` row, as both SQL stores keep it. */
export interface FeedbackRow extends FeedbackValueColumns {
  id: string;
  request_id: string | null;
  episode_id: string | null;
  metric: string;
  comment: string | null;
  demonstration: string | null;
  source: string;
  caller_id: string | null;
  time: number;
}

/** A `shadow_judgments` row (booleans 0/1). */
export interface ShadowRow {
  id: string;
  request_id: string;
  time: number;
  router: string | null;
  served_model: string;
  shadow_model: string;
  direction: string;
  judge_kind: string;
  judge_model: string | null;
  verdict: string | null;
  score: number | null;
  served_score: number | null;
  unparseable: number;
  shadow_answer: string | null;
  error: string | null;
  shadow_cost_usd: number;
  judge_cost_usd: number;
  prompt_tokens: number;
  completion_tokens: number;
}

export const FEEDBACK_COLUMNS = [
  "id",
  "request_id",
  "episode_id",
  "metric",
  "value_kind",
  "value_number",
  "value_label",
  "comment",
  "demonstration",
  "source",
  "caller_id",
  "time",
] as const;

export const SHADOW_COLUMNS = [
  "id",
  "request_id",
  "time",
  "router",
  "served_model",
  "shadow_model",
  "direction",
  "judge_kind",
  "judge_model",
  "verdict",
  "score",
  "served_score",
  "unparseable",
  "shadow_answer",
  "error",
  "shadow_cost_usd",
  "judge_cost_usd",
  "prompt_tokens",
  "completion_tokens",
] as const;

export function feedbackParams(r: FeedbackRecord): FeedbackRow {
  return {
    id: r.id,
    request_id: r.requestId,
    episode_id: r.episodeId,
    metric: r.metric,
    ...feedbackValueColumns(r.value),
    comment: r.comment,
    demonstration: r.demonstration,
    source: r.source,
    caller_id: r.callerId,
    time: r.time,
  };
}

export function feedbackFromRow(row: FeedbackRow): FeedbackRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    episodeId: row.episode_id,
    metric: row.metric,
    value: feedbackValueFrom(row),
    comment: row.comment,
    demonstration: row.demonstration,
    source: row.source as FeedbackSource,
    callerId: row.caller_id,
    time: row.time,
  };
}

export function shadowParams(r: ShadowRecord): ShadowRow {
  return {
    id: r.id,
    request_id: r.requestId,
    time: r.time,
    router: r.router,
    served_model: r.servedModel,
    shadow_model: r.shadowModel,
    direction: r.direction,
    judge_kind: r.judgeKind,
    judge_model: r.judgeModel,
    verdict: r.verdict,
    score: r.score,
    served_score: r.servedScore,
    unparseable: r.unparseable ? 1 : 0,
    shadow_answer: r.shadowAnswer,
    error: r.error,
    shadow_cost_usd: r.shadowCostUsd,
    judge_cost_usd: r.judgeCostUsd,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
  };
}

export function shadowFromRow(row: ShadowRow): ShadowRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    router: row.router,
    servedModel: row.served_model,
    shadowModel: row.shadow_model,
    direction: row.direction as ShadowRecord["direction"],
    judgeKind: row.judge_kind as ShadowRecord["judgeKind"],
    judgeModel: row.judge_model,
    verdict: row.verdict,
    score: row.score,
    servedScore: row.served_score,
    unparseable: row.unparseable === 1 || (row.unparseable as unknown) === true,
    shadowAnswer: row.shadow_answer,
    error: row.error,
    shadowCostUsd: row.shadow_cost_usd,
    judgeCostUsd: row.judge_cost_usd,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    time: row.time,
  };
}
