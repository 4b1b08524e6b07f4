/**
 * What one shadow job leaves in the request log: the shape of storage's `ShadowRecord`
 * (scores normalized to [0, 1], higher is better; an unparseable verdict has no score).
 */
export interface ShadowResult {
  /** Unique id of the judgment (`sh_…`). */
  id: string;
  /** The served request it shadows. */
  requestId: string;
  router: string | null;
  servedModel: string;
  shadowModel: string;
  direction: "up" | "down";
  judgeKind: "pairwise" | "absolute" | "json_schema";
  judgeModel: string | null;
  /** The judge's raw verdict text(s), each order of a pairwise judgment on its own line. */
  verdict: string | null;
  score: number | null;
  servedScore: number | null;
  unparseable: boolean;
  shadowAnswer: string | null;
  error: string | null;
  shadowCostUsd: number;
  judgeCostUsd: number;
  promptTokens: number;
  completionTokens: number;
  /** Epoch milliseconds when the judgment finished. */
  time: number;
}
