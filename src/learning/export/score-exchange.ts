import type { FeedbackRecord, FeedbackSource } from "../../storage/feedback-record.js";
import { numericFeedback } from "../../storage/feedback-query.js";
import type { LoggedExchange } from "../../storage/request-log-store.js";

/** Feedback sources from most to least trusted: the first one present decides a served answer's score. */
export const SOURCE_PRECEDENCE: readonly FeedbackSource[] = ["reviewer", "user", "rule", "judge"];

export interface ScoreOptions {
  /** Only these feedback metrics count (default: every metric with a boolean or numeric value). */
  metrics?: readonly string[];
}

/** Where a model's score came from. */
export type ScoreEvidence = `feedback:${FeedbackSource}` | `episode:${FeedbackSource}` | "shadow";

export interface ScoredModel {
  /** In [0, 1], higher is better. */
  score: number;
  evidence: ScoreEvidence;
  /** Values (or judgments) averaged into the score. */
  n: number;
}

/** What one exchange says about each model's answer, and what it could not use. */
export interface ExchangeScores {
  models: Map<string, ScoredModel>;
  /** Judgments with no parsed score (never guessed). */
  unparseable: number;
  /** Feedback values that are labels (they carry no score). */
  labels: number;
}

/**
 * Scores the answers of one logged exchange (see docs/learning-loop.md, "Scores"):
 * - the served model: its own feedback first, then its episode's, each from the most trusted
 *   source present (reviewer > user > rule > judge), averaging that source's values of the
 *   chosen metrics (booleans as 0/1, numbers as given, labels ignored); without feedback, the
 *   mean `servedScore` of its shadow judgments (pairwise, json_schema);
 * - each shadow model: the mean `score` of its parseable judgments (already in [0, 1]).
 * Feedback always wins over judgments of the same answer; unparseable verdicts are counted, never used.
 */
export function scoreExchange(exchange: LoggedExchange, options: ScoreOptions = {}): ExchangeScores {
  const out: ExchangeScores = { models: new Map(), unparseable: 0, labels: 0 };
  const wanted = (record: FeedbackRecord) => options.metrics === undefined || options.metrics.includes(record.metric);
  const count = (records: readonly FeedbackRecord[]) => {
    for (const record of records) if (wanted(record) && numericFeedback(record.value) === undefined) out.labels += 1;
  };
  count(exchange.feedback);
  count(exchange.episodeFeedback);
  const served = exchange.request.model;
  if (served !== null) {
    const fromFeedback =
      fromSource(exchange.feedback.filter(wanted), "feedback") ?? fromSource(episodeFeedbackFor(exchange).filter(wanted), "episode");
    if (fromFeedback) out.models.set(served, fromFeedback);
  }
  const shadowScores = new Map<string, number[]>();
  const servedByShadow: number[] = [];
  for (const judgment of exchange.shadows) {
    if (judgment.unparseable || judgment.score === null) {
      if (judgment.unparseable) out.unparseable += 1;
      continue;
    }
    let list = shadowScores.get(judgment.shadowModel);
    if (!list) shadowScores.set(judgment.shadowModel, (list = []));
    list.push(judgment.score);
    if (judgment.servedScore !== null && judgment.servedModel === served) servedByShadow.push(judgment.servedScore);
  }
  if (served !== null && !out.models.has(served) && servedByShadow.length > 0) {
    out.models.set(served, { score: mean(servedByShadow), evidence: "shadow", n: servedByShadow.length });
  }
  for (const [model, scores] of shadowScores) {
    if (model === served) continue;
    out.models.set(model, { score: mean(scores), evidence: "shadow", n: scores.length });
  }
  return out;
}

/** Episode feedback reaches a request of the same caller (or any, for feedback without a caller). */
function episodeFeedbackFor(exchange: LoggedExchange): FeedbackRecord[] {
  return exchange.episodeFeedback.filter((record) => record.callerId === null || record.callerId === exchange.request.callerId);
}

function fromSource(records: readonly FeedbackRecord[], kind: "feedback" | "episode"): ScoredModel | undefined {
  for (const source of SOURCE_PRECEDENCE) {
    const values = records.filter((record) => record.source === source).flatMap((record) => numericOrEmpty(record));
    if (values.length > 0) return { score: mean(values), evidence: `${kind}:${source}`, n: values.length };
  }
  return undefined;
}

function numericOrEmpty(record: FeedbackRecord): number[] {
  const value = numericFeedback(record.value);
  return value === undefined ? [] : [value];
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return Math.min(1, Math.max(0, sum / values.length));
}
