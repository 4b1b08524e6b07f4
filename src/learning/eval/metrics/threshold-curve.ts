import { costPer1k } from "./request-cost.js";
import type { CurvePoint } from "./curve-point.js";
import type { ReplayTable } from "./replay-table.js";

/** A strong/weak pair inside a replay table (model indices). */
export interface ModelPair {
  small: number;
  large: number;
}

export interface ThresholdCurveOptions {
  /**
   * "all": one point per distinct score (the exact curve; each `param` is a threshold midway
   * between neighbouring scores, safe to deploy). A number n: RouteLLM's sweep, thresholds at the
   * n-quantile edges of the scores (pd.qcut(scores, n, retbins=True)), the last one strict.
   */
  points: "all" | number;
}

/** Linear-interpolated quantile (numpy's default) of values sorted ascending. */
export function quantileSorted(sortedAscending: ArrayLike<number>, q: number): number {
  const n = sortedAscending.length;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sortedAscending[lo]!;
  return a + (sortedAscending[hi]! - a) * (pos - lo);
}

/**
 * The cost–quality curve of a pair router: route row i to the large model when
 * scores[i] ≥ threshold, for a sweep of thresholds. Points are ordered by share of large calls.
 */
export function thresholdCurve(
  table: ReplayTable,
  scores: ArrayLike<number>,
  pair: ModelPair,
  options: ThresholdCurveOptions,
): CurvePoint[] {
  const n = table.ids.length;
  if (n === 0) return [];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const small = { s: table.scores[pair.small]!, c: table.costs[pair.small]! };
  const large = { s: table.scores[pair.large]!, c: table.costs[pair.large]! };
  // prefix[k]: quality and cost sums when the k highest-scored rows go to the large model.
  const prefixQuality = new Float64Array(n + 1);
  const prefixCost = new Float64Array(n + 1);
  prefixQuality[0] = small.s.reduce((sum, v) => sum + v, 0);
  prefixCost[0] = small.c.reduce((sum, v) => sum + v, 0);
  order.forEach((row, k) => {
    prefixQuality[k + 1] = prefixQuality[k]! + large.s[row]! - small.s[row]!;
    prefixCost[k + 1] = prefixCost[k]! + large.c[row]! - small.c[row]!;
  });
  const point = (param: number, k: number): CurvePoint => ({
    param,
    quality: prefixQuality[k]! / n,
    costPer1k: costPer1k(prefixCost[k]!, n),
    largeShare: k / n,
  });
  const descending = order.map((row) => scores[row]!);
  if (options.points === "all") return exactSweep(descending, point);
  return quantileSweep(descending, options.points, point);
}

function exactSweep(descending: number[], point: (param: number, k: number) => CurvePoint): CurvePoint[] {
  const top = descending[0]!;
  const points = [point(top < 1 ? (top + 1) / 2 : top + Number.EPSILON * 2, 0)];
  for (let k = 1; k <= descending.length; k++) {
    const here = descending[k - 1]!;
    if (k < descending.length && descending[k] === here) continue;
    const next = k < descending.length ? descending[k]! : Math.min(0, here);
    points.push(point(k < descending.length ? (here + next) / 2 : next, k));
  }
  return points;
}

function quantileSweep(descending: number[], bins: number, point: (param: number, k: number) => CurvePoint): CurvePoint[] {
  const ascending = [...descending].reverse();
  const points: CurvePoint[] = [];
  for (let i = 0; i <= bins; i++) {
    const edge = quantileSorted(ascending, i / bins);
    const strict = i === bins;
    points.push(point(edge, countAtLeast(descending, edge, strict)));
  }
  return points.sort((a, b) => a.largeShare - b.largeShare);
}

/** Number of values (sorted descending) ≥ t (or > t when strict). */
function countAtLeast(descending: number[], t: number, strict: boolean): number {
  let lo = 0;
  let hi = descending.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = descending[mid]!;
    if (strict ? v > t : v >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
