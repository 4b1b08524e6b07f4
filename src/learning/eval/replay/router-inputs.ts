import { estimateCosts, pairScore } from "../../../routing/learned/apply-routing-policy.js";
import type { PriceTable } from "../../../pricing/price-table.js";
import type { ReplayTable } from "../metrics/replay-table.js";
import type { ModelPair } from "../metrics/threshold-curve.js";

/** The pair router's score per row, exactly as the gateway computes it (`pairScore`). */
export function pairRouteScores(predicted: Float64Array[], pair: ModelPair): Float64Array {
  const n = predicted[0]?.length ?? 0;
  return Float64Array.from({ length: n }, (_, i) =>
    pairScore(
      predicted.map((column) => column[i]!),
      pair.small,
      pair.large,
    ),
  );
}

/**
 * What the N-model policy charges each model for row i at decision time (USD per 1,000
 * requests), exactly as the gateway estimates it (`estimateCosts`): prompt chars / 4 at the input
 * price, the model's mean answer length in the training folds / 4 at the output price.
 */
export function decisionCostsPer1k(
  table: ReplayTable,
  meanOutputChars: number[][],
  foldOf: Int32Array,
  prices: PriceTable,
): Float64Array[] {
  const columns = table.models.map(() => new Float64Array(table.ids.length));
  table.promptChars.forEach((chars, i) => {
    for (const [m, cost] of estimateCosts(table.models, chars, meanOutputChars[foldOf[i]!]!, prices).entries()) columns[m]![i] = cost;
  });
  return columns;
}

/** The cheaper (by mean cost on these rows) and the more expensive model of a two-model table. */
export function pairOf(table: ReplayTable): ModelPair {
  const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
  return mean(table.costs[1]!) >= mean(table.costs[0]!) ? { small: 0, large: 1 } : { small: 1, large: 0 };
}
