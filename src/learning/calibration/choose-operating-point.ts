import type { CurvePoint } from "../eval/metrics/curve-point.js";
import type { CalibrationTarget } from "./calibration-target.js";

export interface OperatingPointChoice {
  point: CurvePoint;
  /** False when no point meets the target; `point` is then the nearest one. */
  met: boolean;
  /** Why the target could not be met, for a person. */
  note?: string;
}

/**
 * Picks the point of a cost–quality curve that meets one target:
 * - large-share p: the most large calls not above p (ties: the higher quality);
 * - cost-per-1k b: the best quality whose cost per 1,000 requests is not above b (ties: cheaper);
 * - quality-floor f: the cheapest point whose quality is at least f × `largeQuality` (ties: better).
 */
export function chooseOperatingPoint(curve: readonly CurvePoint[], target: CalibrationTarget, largeQuality: number): OperatingPointChoice {
  if (curve.length === 0) throw new Error("cannot calibrate on an empty curve");
  const eps = 1e-12;
  const pick = (feasible: CurvePoint[], better: (a: CurvePoint, b: CurvePoint) => number): CurvePoint | undefined =>
    [...feasible].sort(better)[0];
  switch (target.kind) {
    case "large-share": {
      const best = pick(
        curve.filter((p) => p.largeShare <= target.value + eps),
        (a, b) => b.largeShare - a.largeShare || b.quality - a.quality,
      );
      if (best) return { point: best, met: true };
      const nearest = pick([...curve], (a, b) => a.largeShare - b.largeShare)!;
      return { point: nearest, met: false, note: `the fewest large calls reachable is ${percent(nearest.largeShare)}` };
    }
    case "cost-per-1k": {
      const best = pick(
        curve.filter((p) => p.costPer1k <= target.value + eps),
        (a, b) => b.quality - a.quality || a.costPer1k - b.costPer1k,
      );
      if (best) return { point: best, met: true };
      const nearest = pick([...curve], (a, b) => a.costPer1k - b.costPer1k)!;
      return { point: nearest, met: false, note: `the cheapest point costs ${nearest.costPer1k.toFixed(4)} USD per 1,000 requests` };
    }
    case "quality-floor": {
      const floor = target.value * largeQuality;
      const best = pick(
        curve.filter((p) => p.quality >= floor - eps),
        (a, b) => a.costPer1k - b.costPer1k || b.quality - a.quality,
      );
      if (best) return { point: best, met: true };
      const nearest = pick([...curve], (a, b) => b.quality - a.quality)!;
      const reach = largeQuality > 0 ? nearest.quality / largeQuality : 0;
      return { point: nearest, met: false, note: `the best point reaches ${percent(reach)} of the large model's quality` };
    }
  }
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
