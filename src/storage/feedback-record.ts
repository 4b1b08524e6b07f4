/** Who judged an answer. */
export const FEEDBACK_SOURCES = ["user", "reviewer", "rule", "judge"] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];

/** A feedback value: a boolean (good / bad), a number in [0, 1], or a label ("wrong_language"). */
export type FeedbackValue = boolean | number | string;

/**
 * One judgment of a logged answer (`POST /v1/feedback`, `rightsize feedback import`). It targets
 * one request or a whole episode (every request sent with that `x-rightsize-episode`). A later
 * record for the same target and metric supersedes an earlier one; both stay stored (history).
 */
export interface FeedbackRecord {
  /** Unique id of this feedback record (`fb_…`). */
  id: string;
  /** The request judged (null when the feedback is for an episode). */
  requestId: string | null;
  /** The episode judged (null when the feedback is for one request). */
  episodeId: string | null;
  metric: string;
  value: FeedbackValue;
  comment: string | null;
  /** A corrected answer: the answer the model should have given. */
  demonstration: string | null;
  source: FeedbackSource;
  /** The client key id that sent the feedback (null without client keys). */
  callerId: string | null;
  /** Epoch milliseconds when the feedback was received. */
  time: number;
}

export interface FeedbackQuery {
  requestId?: string;
  episodeId?: string;
  metric?: string;
  /** Epoch ms; only feedback received at or after this time. */
  since?: number;
  /** Include superseded records too (default false: only the current value per target and metric). */
  history?: boolean;
  limit?: number;
}

/** Current feedback values of one metric. */
export interface FeedbackMetricSummary {
  metric: string;
  /** Current values (one per target), superseded ones not counted. */
  count: number;
  /** Mean of the boolean (as 0/1) and numeric values; null when all are labels. */
  mean: number | null;
  /** How often each label occurs. */
  labels: Record<string, number>;
  /** Current values per source. */
  bySource: Partial<Record<FeedbackSource, number>>;
  /** Current values that carry a demonstration. */
  demonstrations: number;
}

export interface FeedbackSummary {
  /** Feedback records stored, superseded ones included. */
  records: number;
  /** Current values over all metrics. */
  current: number;
  /** Per metric, by name. */
  metrics: FeedbackMetricSummary[];
}
