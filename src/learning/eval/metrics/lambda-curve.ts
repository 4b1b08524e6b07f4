import { outcomesOfChoices, type CurvePoint } from "./curve-point.js";
import { costPer1k } from "./request-cost.js";
import type { ReplayTable } from "./replay-table.js";

/** Predicted quality and decision-time cost estimate per model (model-major), as the N-model policy sees them. */
export interface PenaltyInputs {
  predicted: Float64Array[];
  /** Cost the policy charges per model and row (USD per 1,000 requests, the unit of λ). */
  decisionCost: Float64Array[];
}

/** The N-model policy: per row, argmax over models of predicted − λ·decisionCost (ties: the cheaper). */
export function choicesAtLambda(inputs: PenaltyInputs, lambda: number): Int32Array {
  const n = inputs.predicted[0]?.length ?? 0;
  const choices = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let m = 0; m < inputs.predicted.length; m++) {
      const value = inputs.predicted[m]![i]! - lambda * inputs.decisionCost[m]![i]!;
      if (value > bestValue || (value === bestValue && inputs.decisionCost[m]![i]! < inputs.decisionCost[best]![i]!)) {
        best = m;
        bestValue = value;
      }
    }
    choices[i] = best;
  }
  return choices;
}

interface SwitchEvent {
  lambda: number;
  row: number;
  to: number;
}

/**
 * The exact cost–quality curve of the N-model policy over all λ ≥ 0. Each row's choice changes
 * only where λ crosses a breakpoint of the upper envelope of its lines q_m − λ·c_m; sorting every
 * row's breakpoints and sweeping them updates the sums incrementally. Points run from λ = 0 (best
 * predicted quality) to the cheapest choices; each point's `param` is a λ inside its interval.
 */
export function lambdaCurve(table: ReplayTable, inputs: PenaltyInputs, large: number): CurvePoint[] {
  const n = table.ids.length;
  if (n === 0) return [];
  const current = choicesAtLambda(inputs, 0);
  const events: SwitchEvent[] = [];
  for (let i = 0; i < n; i++) envelopeEvents(inputs, i, current[i]!, events);
  events.sort((a, b) => a.lambda - b.lambda);
  const start = outcomesOfChoices(table, current, large);
  let quality = start.quality.reduce((s, v) => s + v, 0);
  let cost = start.cost.reduce((s, v) => s + v, 0);
  let largeCount = start.large.reduce((s, v) => s + v, 0);
  const at = (param: number): CurvePoint => ({ param, quality: quality / n, costPer1k: costPer1k(cost, n), largeShare: largeCount / n });
  const points: CurvePoint[] = [at(0)];
  let e = 0;
  while (e < events.length) {
    const lambda = events[e]!.lambda;
    for (; e < events.length && events[e]!.lambda === lambda; e++) {
      const { row, to } = events[e]!;
      const was = current[row]!;
      quality += table.scores[to]![row]! - table.scores[was]![row]!;
      cost += table.costs[to]![row]! - table.costs[was]![row]!;
      largeCount += (to === large ? 1 : 0) - (was === large ? 1 : 0);
      current[row] = to;
    }
    const until = e < events.length ? events[e]!.lambda : lambda > 0 ? lambda * 2 : 1;
    points.push(at((lambda + until) / 2));
  }
  return points;
}

/** The λ values at which row i switches to a cheaper model, walking its upper envelope. */
function envelopeEvents(inputs: PenaltyInputs, i: number, start: number, out: SwitchEvent[]): void {
  let cur = start;
  let lambdaNow = 0;
  for (;;) {
    const qc = inputs.predicted[cur]![i]!;
    const cc = inputs.decisionCost[cur]![i]!;
    let next = -1;
    let nextLambda = Infinity;
    for (let m = 0; m < inputs.predicted.length; m++) {
      const cm = inputs.decisionCost[m]![i]!;
      if (cm >= cc) continue;
      const l = Math.max(lambdaNow, (qc - inputs.predicted[m]![i]!) / (cc - cm));
      if (l < nextLambda || (l === nextLambda && cm < inputs.decisionCost[next]![i]!)) {
        next = m;
        nextLambda = l;
      }
    }
    if (next < 0) return;
    out.push({ lambda: nextLambda, row: i, to: next });
    cur = next;
    lambdaNow = nextLambda;
  }
}
