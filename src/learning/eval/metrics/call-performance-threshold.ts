import type { CurvePoint } from "./curve-point.js";

/**
 * CPT(p) as RouteLLM defines it: the share of calls to the strong (large) model needed to reach
 * quality weak + p·(strong − weak), read off the curve by linear interpolation (RouteLLM:
 * np.interp(target, accuracy, strong_percentage) on the curve sorted by strong calls). We take
 * the first crossing, which equals np.interp on a non-decreasing curve and stays defined on a
 * noisy one. Returns a share in [0,1], or null when the curve never reaches the target.
 */
export function callPerformanceThreshold(curve: readonly CurvePoint[], weak: number, strong: number, p: number): number | null {
  return firstCrossing(curve, weak + p * (strong - weak), (point) => point.largeShare);
}

/** The same reading on the cost axis: the lowest cost per 1,000 requests at which the curve reaches `target` quality. */
export function costAtQuality(curve: readonly CurvePoint[], target: number): number | null {
  return firstCrossing(curve, target, (point) => point.costPer1k);
}

/**
 * Where the curve, ordered along `axis`, first reaches `target` quality: interpolated linearly
 * between the last point below and the first point at or above it (null: never).
 */
function firstCrossing(curve: readonly CurvePoint[], target: number, axis: (point: CurvePoint) => number): number | null {
  const sorted = [...curve].sort((a, b) => axis(a) - axis(b));
  for (let i = 0; i < sorted.length; i++) {
    const here = sorted[i]!;
    if (here.quality < target) continue;
    if (i === 0) return axis(here);
    const before = sorted[i - 1]!;
    const t = (target - before.quality) / (here.quality - before.quality);
    return axis(before) + t * (axis(here) - axis(before));
  }
  return null;
}

/** The best quality among the curve's points that cost at most `budget` per 1,000 requests (null: none). */
export function bestQualityWithinCost(curve: readonly CurvePoint[], budget: number): number | null {
  let best: number | null = null;
  for (const p of curve) if (p.costPer1k <= budget && (best === null || p.quality > best)) best = p.quality;
  return best;
}
