import { nonDecreasingConvexHull, type CostQuality } from "./non-decreasing-convex-hull.js";

export interface CostRange {
  min: number;
  max: number;
}

/**
 * AIQ as RouterBench defines it (Hu et al. 2024, §3.2): the area under the router's
 * non-decreasing convex hull R̃ over the cost range, divided by that range,
 * AIQ = 1/(c_max − c_min) ∫ R̃(c) dc. Past the hull's most expensive point R̃ stays flat (as in
 * RouterBench's evaluation/AIQ.py); below its cheapest point the router has no operating point and
 * contributes 0. Routers compared with each other must share one range (the replay uses the
 * cheapest and most expensive single model). Null when the range is empty.
 */
export function averageImprovementInQuality(points: readonly CostQuality[], range: CostRange): number | null {
  if (!(range.max > range.min) || points.length === 0) return null;
  const hull = nonDecreasingConvexHull(points);
  return integrateHull(hull, range.min, range.max) / (range.max - range.min);
}

/** ∫_a^b of the piecewise-linear hull (0 before its first point, flat after its last). */
export function integrateHull(hull: readonly CostQuality[], a: number, b: number): number {
  const value = (c: number): number => {
    const first = hull[0]!;
    const last = hull[hull.length - 1]!;
    if (c < first.cost) return 0;
    if (c >= last.cost) return last.quality;
    for (let i = 1; i < hull.length; i++) {
      const p = hull[i]!;
      if (c <= p.cost) {
        const q = hull[i - 1]!;
        return q.quality + ((c - q.cost) / (p.cost - q.cost)) * (p.quality - q.quality);
      }
    }
    return last.quality;
  };
  // Breakpoints inside [a, b]: the hull's vertices (its first one is where it jumps from 0).
  const xs = [a, ...hull.map((p) => p.cost).filter((c) => c > a && c < b), b];
  let area = 0;
  for (let i = 1; i < xs.length; i++) {
    const x0 = xs[i - 1]!;
    const x1 = xs[i]!;
    if (x1 <= hull[0]!.cost) continue; // before the router's cheapest point: nothing
    area += ((x1 - x0) * (value(x0) + value(x1))) / 2;
  }
  return area;
}
