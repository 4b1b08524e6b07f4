/** How an answer pair was scored. */
export type JudgeMethod = "pairwise" | "absolute" | "json_schema";

/**
 * The outcome label of a judgment:
 * - pairwise: `shadow-better`, `served-better`, `tie`, or `inconsistent` (the two orders
 *   disagree: position bias, scored as a tie);
 * - absolute: `graded`;
 * - json_schema: `both-valid`, `shadow-valid`, `served-valid`, `both-invalid`;
 * - any method: `unparseable` (a verdict did not follow the format: no score), `failed` (a
 *   judge call failed: no score).
 */
export type JudgeVerdict =
  | "shadow-better"
  | "served-better"
  | "tie"
  | "inconsistent"
  | "graded"
  | "both-valid"
  | "shadow-valid"
  | "served-valid"
  | "both-invalid"
  | "unparseable"
  | "failed";

/** One call to the judge model, as it answered. */
export interface JudgeCall {
  /** Pairwise: which answer was shown first. */
  order?: "served-first" | "shadow-first";
  /** The judge's reply verbatim (null when the call failed). */
  raw: string | null;
  /** What the strict parser read: "A" | "B" | "tie" for pairwise, 1..10 for absolute; null when unparseable. */
  parsed: string | number | null;
  costUsd: number;
  error?: string;
}

export interface Judgment {
  method: JudgeMethod;
  /** The judge model (null for the deterministic json_schema check). */
  judgeModel: string | null;
  verdict: JudgeVerdict;
  /**
   * The shadow answer's score in [0, 1]: pairwise, the share of the two orders it won (a tie
   * counts half); absolute, grade / 10; json_schema, 1 when valid. Null when unparseable or failed.
   */
  score: number | null;
  /** The served answer's score on the same scale, where the method gives one (json_schema; pairwise: 1 − score). */
  servedScore: number | null;
  calls: JudgeCall[];
  /** What the judge calls cost (0 for json_schema). */
  costUsd: number;
  /** json_schema: why an answer is invalid. */
  detail?: string;
}
