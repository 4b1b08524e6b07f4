import type { CurvePoint } from "../metrics/curve-point.js";

/** At most `max` points of a curve sorted by cost, evenly spaced along it, both ends kept. */
export function thinCurve(curve: readonly CurvePoint[], max: number): CurvePoint[] {
  const sorted = [...curve].sort((a, b) => a.costPer1k - b.costPer1k || a.quality - b.quality);
  if (sorted.length <= max) return sorted;
  const step = (sorted.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => sorted[Math.round(k * step)]!);
}
