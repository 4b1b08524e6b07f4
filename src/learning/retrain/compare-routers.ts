import { SeededRandom } from "../../routing/learned/seeded-random.js";
import { type Estimate, percentile } from "../calibration/bootstrap-intervals.js";
import type { CalibrationTarget } from "../calibration/calibration-target.js";
import type { RowOutcomes } from "../eval/metrics/curve-point.js";

/** Figures of one router on the held-out rows, with bootstrap 95% intervals. */
export interface RouterFigures {
  quality: Estimate;
  costPer1k: Estimate;
  largeShare: Estimate;
}

/** Two routers on the same held-out rows: each one's figures and the paired differences (new − old). */
export interface RouterComparison {
  rows: number;
  old: RouterFigures;
  new: RouterFigures;
  delta: RouterFigures;
}

/**
 * Compares two routers' per-row outcomes on the same rows with a paired percentile bootstrap:
 * each resample draws rows once and scores both routers on them, so the interval of the
 * difference is about the routers, not about which rows happened to arrive.
 */
export function compareRouters(old: RowOutcomes, next: RowOutcomes, options: { seed: number; resamples?: number }): RouterComparison {
  const n = old.quality.length;
  if (next.quality.length !== n) throw new Error("both routers must be replayed on the same rows");
  const resamples = options.resamples ?? 1000;
  const figures = (indices: (k: number) => number) => {
    const sums = new Float64Array(6);
    for (let k = 0; k < n; k++) {
      const i = indices(k);
      sums[0]! += old.quality[i]!;
      sums[1]! += old.cost[i]!;
      sums[2]! += old.large[i]!;
      sums[3]! += next.quality[i]!;
      sums[4]! += next.cost[i]!;
      sums[5]! += next.large[i]!;
    }
    const d = Math.max(1, n);
    const o = [sums[0]! / d, (sums[1]! / d) * 1000, sums[2]! / d];
    const x = [sums[3]! / d, (sums[4]! / d) * 1000, sums[5]! / d];
    return [...o, ...x, x[0]! - o[0]!, x[1]! - o[1]!, x[2]! - o[2]!];
  };
  const point = figures((k) => k);
  const samples: number[][] = point.map(() => []);
  const random = new SeededRandom(options.seed);
  for (let b = 0; b < resamples && n > 0; b++) {
    const draw = Array.from({ length: n }, () => Math.floor(random.next() * n));
    for (const [j, v] of figures((k) => draw[k]!).entries()) samples[j]!.push(v);
  }
  const estimate = (j: number): Estimate => {
    const sorted = samples[j]!.sort((a, b) => a - b);
    const value = point[j]!;
    if (sorted.length === 0) return { value, low: value, high: value };
    return { value, low: percentile(sorted, 0.025), high: percentile(sorted, 0.975) };
  };
  const at = (offset: number): RouterFigures => ({
    quality: estimate(offset),
    costPer1k: estimate(offset + 1),
    largeShare: estimate(offset + 2),
  });
  return { rows: n, old: at(0), new: at(3), delta: at(6) };
}

/** Whether a new router may replace the old one, and why. */
export interface PromotionVerdict {
  promote: boolean;
  /** What was compared: quality (share and budget targets) or cost (quality floor). */
  criterion: "quality" | "cost";
  reason: string;
}

/**
 * The promotion gate: the new router is promoted only if it is not worse than the old one on
 * what the target leaves free. With a large-share or budget target both routers are calibrated
 * to the same operating point, so quality decides: new − old ≥ −margin (absolute score). With a
 * quality floor, cost decides: the new router may cost at most (1 + margin) × the old one's, and
 * its quality may not fall more than `margin` below the old one's. A candidate that cannot be
 * calibrated to the target is refused; one that can, replacing a router that cannot, is promoted.
 */
export function promotionVerdict(
  comparison: RouterComparison,
  target: CalibrationTarget,
  margin: number,
  met: { old: boolean; new: boolean } = { old: true, new: true },
): PromotionVerdict {
  const dq = comparison.delta.quality;
  const named = `${target.kind}=${target.value}`;
  if (!met.new)
    return { promote: false, criterion: "quality", reason: `worse: the candidate cannot meet ${named} on the calibration rows` };
  if (!met.old) {
    return {
      promote: true,
      criterion: "quality",
      reason: `the serving router cannot meet ${named} on the calibration rows and the candidate can (quality ${dq.value >= 0 ? "+" : ""}${dq.value.toFixed(4)})`,
    };
  }
  const show = (e: Estimate, digits = 4) =>
    `${e.value >= 0 ? "+" : ""}${e.value.toFixed(digits)} (95% ${e.low.toFixed(digits)} to ${e.high.toFixed(digits)})`;
  if (target.kind === "quality-floor") {
    const limit = comparison.old.costPer1k.value * (1 + margin);
    const cheapEnough = comparison.new.costPer1k.value <= limit;
    const qualityHeld = dq.value >= -margin;
    const promote = cheapEnough && qualityHeld;
    return {
      promote,
      criterion: "cost",
      reason: promote
        ? `not worse: cost per 1,000 requests ${show(comparison.delta.costPer1k)} USD (limit +${(limit - comparison.old.costPer1k.value).toFixed(4)}), quality ${show(dq)} ≥ −${margin}`
        : !cheapEnough
          ? `worse: costs ${comparison.new.costPer1k.value.toFixed(4)} USD per 1,000 requests against ${comparison.old.costPer1k.value.toFixed(4)} (more than ${(margin * 100).toFixed(1)}% above)`
          : `worse: quality ${show(dq)} is below the margin −${margin}`,
    };
  }
  const promote = dq.value >= -margin;
  return {
    promote,
    criterion: "quality",
    reason: promote ? `not worse: quality ${show(dq)} ≥ −${margin}` : `worse: quality ${show(dq)} is below the margin −${margin}`,
  };
}
