import { outcomesOfChoices } from "../metrics/curve-point.js";
import { choicesAtLambda, lambdaCurve, type PenaltyInputs } from "../metrics/lambda-curve.js";
import { subsetReplayTable, type ReplayTable } from "../metrics/replay-table.js";
import type { SweptRouter } from "../metrics/swept-router.js";

/** An N-model router replayed from predicted qualities: argmax predicted − λ·cost, swept over λ. */
export function costPenaltyRouterReplay(name: string, table: ReplayTable, inputs: PenaltyInputs, large: number): SweptRouter {
  return {
    name,
    curve: lambdaCurve(table, inputs, large),
    outcomesAt(lambda) {
      return outcomesOfChoices(table, choicesAtLambda(inputs, lambda), large);
    },
    policyAt(lambda) {
      return { kind: "cost-penalty", lambda };
    },
    restrict(rows) {
      const pick = (a: Float64Array): Float64Array => Float64Array.from(rows, (i) => a[i]!);
      const subset = { predicted: inputs.predicted.map(pick), decisionCost: inputs.decisionCost.map(pick) };
      return costPenaltyRouterReplay(name, subsetReplayTable(table, rows), subset, large);
    },
  };
}
