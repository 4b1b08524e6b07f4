/**
 * One shadow judgment: after a served answer, another tier answered the same request in the
 * background and a judge (or a deterministic check) compared the answers. Never served, never
 * counted as a request. Scores are normalized to [0, 1], higher is better:
 * - `pairwise`: `score` is the shadow answer's preference against the served one over both
 *   orders (1 = shadow better, 0.5 = tie, 0 = served better); `servedScore` is `1 - score`.
 * - `absolute`: `score` is the shadow answer's grade (1–10 → 0.1–1.0) with the served answer as
 *   the reference; `servedScore` is null.
 * - `json_schema`: `score` and `servedScore` are 1 when the answer is valid against the
 *   request's schema, else 0; `judgeModel` is null.
 * An unparseable verdict has `unparseable: true` and `score: null`, never a guess.
 */
export interface ShadowRecord {
  /** Unique id of the judgment (`sh_…`). */
  id: string;
  /** The served request it shadows. */
  requestId: string;
  router: string | null;
  servedModel: string;
  shadowModel: string;
  /** `up`: a larger tier than the served one; `down`: a smaller one. */
  direction: "up" | "down";
  judgeKind: "pairwise" | "absolute" | "json_schema";
  judgeModel: string | null;
  /** The judge's raw verdict text(s) (both orders of a pairwise judgment, joined). */
  verdict: string | null;
  score: number | null;
  servedScore: number | null;
  unparseable: boolean;
  /** The shadow model's answer (null when content logging is off, or it failed). */
  shadowAnswer: string | null;
  /** Why the shadow call or the judge failed, if it did. */
  error: string | null;
  shadowCostUsd: number;
  judgeCostUsd: number;
  /** Tokens of the shadow call and of the judge calls together. */
  promptTokens: number;
  completionTokens: number;
  /** Epoch milliseconds when the judgment finished. */
  time: number;
}

export interface ShadowQuery {
  requestId?: string;
  /** Epoch ms; only judgments at or after this time. */
  since?: number;
  limit?: number;
}

export interface ShadowSummary {
  judgments: number;
  unparseable: number;
  failed: number;
  byDirection: { up: number; down: number };
  shadowCostUsd: number;
  judgeCostUsd: number;
  /** Shadow plus judge spend. */
  costUsd: number;
  promptTokens: number;
  completionTokens: number;
}
