import type { CurvePoint } from "./curve-point.js";

/** Trapezoid rule (numpy.trapz) of y over x. */
export function trapezoid(x: readonly number[], y: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/**
 * APGR as RouteLLM computes it (routellm/evals/evaluate.py, apgr_metric): with the curve sorted
 * by share of strong (large) calls, AUC = trapz(quality, share) and
 * APGR = (AUC − weak·range) / ((strong − weak)·range), range the span of shares covered (0..1
 * for a full sweep): the mean performance gap recovered, PGR = (q − weak) / (strong − weak).
 * `weak`/`strong` are the always-small and always-large qualities on the same rows.
 * Null when the two models score the same or the curve has no width.
 */
export function averagePerformanceGapRecovered(curve: readonly CurvePoint[], weak: number, strong: number): number | null {
  const sorted = [...curve].sort((a, b) => a.largeShare - b.largeShare);
  const x = sorted.map((p) => p.largeShare);
  const y = sorted.map((p) => p.quality);
  const range = (x[x.length - 1] ?? 0) - (x[0] ?? 0);
  if (strong === weak || range <= 0) return null;
  const auc = trapezoid(x, y);
  return (auc - weak * range) / ((strong - weak) * range);
}
