import type { ReplayTable } from "./replay-table.js";
import { costPer1k } from "./request-cost.js";

/** One operating point of a router on replayed rows. */
export interface CurvePoint {
  /** The swept parameter: a threshold (pair routers) or λ (N-model routers). */
  param: number;
  /** Mean score of the answers the router picked. */
  quality: number;
  /** Mean cost in USD per 1,000 requests. */
  costPer1k: number;
  /** Share of requests that reached the reference large model (RouteLLM's "strong calls"). */
  largeShare: number;
}

/** Per-row outcomes of one decision rule: what every request scored and cost, and whether it called the large model. */
export interface RowOutcomes {
  quality: Float64Array;
  cost: Float64Array;
  large: Uint8Array;
}

/** Mean figures of per-row outcomes (optionally over a subset of rows). */
export function summariseOutcomes(outcomes: RowOutcomes, param: number, rows?: readonly number[]): CurvePoint {
  const indices = rows ?? Array.from(outcomes.quality, (_, i) => i);
  let quality = 0;
  let cost = 0;
  let large = 0;
  for (const i of indices) {
    quality += outcomes.quality[i]!;
    cost += outcomes.cost[i]!;
    large += outcomes.large[i]!;
  }
  const n = indices.length;
  return { param, quality: n ? quality / n : 0, costPer1k: costPer1k(cost, n), largeShare: n ? large / n : 0 };
}

/** Per-row outcomes when row i is answered by model choices[i]; `large` is the reference large model's index. */
export function outcomesOfChoices(table: ReplayTable, choices: ArrayLike<number>, large: number): RowOutcomes {
  const n = table.ids.length;
  const outcomes: RowOutcomes = { quality: new Float64Array(n), cost: new Float64Array(n), large: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const m = choices[i]!;
    outcomes.quality[i] = table.scores[m]![i]!;
    outcomes.cost[i] = table.costs[m]![i]!;
    outcomes.large[i] = m === large ? 1 : 0;
  }
  return outcomes;
}
