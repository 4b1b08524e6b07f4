import { outcomesOfChoices, summariseOutcomes, type CurvePoint } from "./curve-point.js";
import type { ReplayTable } from "./replay-table.js";

/** Every request to model m. */
export function alwaysModel(table: ReplayTable, m: number, large: number): CurvePoint {
  const choices = new Int32Array(table.ids.length).fill(m);
  return summariseOutcomes(outcomesOfChoices(table, choices, large), Number.NaN);
}

/** Per row, the cheapest model among those with the best score: what a perfect router would pick. */
export function oracleChoices(table: ReplayTable): Int32Array {
  const n = table.ids.length;
  const choices = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let m = 1; m < table.models.length; m++) {
      const s = table.scores[m]![i]!;
      const b = table.scores[best]![i]!;
      if (s > b || (s === b && table.costs[m]![i]! < table.costs[best]![i]!)) best = m;
    }
    choices[i] = best;
  }
  return choices;
}

export function oraclePoint(table: ReplayTable, large: number): CurvePoint {
  return summariseOutcomes(outcomesOfChoices(table, oracleChoices(table), large), Number.NaN);
}

/**
 * The expected curve of a router that sends each request to the large model with probability p:
 * the straight line from always-small (p = 0) to always-large (p = 1). Its APGR is exactly 0.5.
 */
export function randomLine(alwaysSmall: CurvePoint, alwaysLarge: CurvePoint): CurvePoint[] {
  return [
    { ...alwaysSmall, param: 0, largeShare: 0 },
    { ...alwaysLarge, param: 1, largeShare: 1 },
  ];
}

/** Index of the model with the highest mean score (ties: the cheaper), the reference "large" model of an N-model pool. */
export function bestModel(table: ReplayTable): number {
  let best = 0;
  const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
  for (let m = 1; m < table.models.length; m++) {
    const q = mean(table.scores[m]!);
    const b = mean(table.scores[best]!);
    if (q > b || (q === b && mean(table.costs[m]!) < mean(table.costs[best]!))) best = m;
  }
  return best;
}

/** Index of the model with the highest mean cost on these rows. */
export function mostExpensiveModel(table: ReplayTable): number {
  let top = 0;
  const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
  for (let m = 1; m < table.models.length; m++) if (mean(table.costs[m]!) > mean(table.costs[top]!)) top = m;
  return top;
}

/** Index of the model with the lowest mean cost (the "small" end of the pool). */
export function cheapestModel(table: ReplayTable): number {
  let best = 0;
  const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
  for (let m = 1; m < table.models.length; m++) if (mean(table.costs[m]!) < mean(table.costs[best]!)) best = m;
  return best;
}
