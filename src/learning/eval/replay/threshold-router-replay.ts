import { outcomesOfChoices } from "../metrics/curve-point.js";
import type { ReplayTable } from "../metrics/replay-table.js";
import { subsetReplayTable } from "../metrics/replay-table.js";
import type { SweptRouter } from "../metrics/swept-router.js";
import { thresholdCurve, type ModelPair, type ThresholdCurveOptions } from "../metrics/threshold-curve.js";

/** A pair router replayed from its per-row scores: the large model when score ≥ threshold. */
export function thresholdRouterReplay(
  name: string,
  table: ReplayTable,
  scores: Float64Array,
  pair: ModelPair,
  options: ThresholdCurveOptions = { points: "all" },
): SweptRouter {
  return {
    name,
    curve: thresholdCurve(table, scores, pair, options),
    outcomesAt(threshold) {
      const choices = Int32Array.from(scores, (s) => (s >= threshold ? pair.large : pair.small));
      return outcomesOfChoices(table, choices, pair.large);
    },
    policyAt(threshold) {
      return { kind: "threshold", small: table.models[pair.small]!, large: table.models[pair.large]!, threshold };
    },
    restrict(rows) {
      const subset = Float64Array.from(rows, (i) => scores[i]!);
      return thresholdRouterReplay(name, subsetReplayTable(table, rows), subset, pair, options);
    },
  };
}
