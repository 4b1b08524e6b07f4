import type { RowOutcomes } from "../eval/metrics/curve-point.js";
import { SeededRandom } from "../../routing/learned/seeded-random.js";

export interface Estimate {
  value: number;
  low: number;
  high: number;
}

export interface OperatingFigures {
  /** Mean score of the answers picked. */
  quality: Estimate;
  /** USD per 1,000 requests. */
  costPer1k: Estimate;
  /** Share of requests sent to the reference large model. */
  largeShare: Estimate;
  /** quality ÷ the large model's quality on the same rows. */
  qualityVsLarge: Estimate;
}

/**
 * Expected figures of a fixed operating point with percentile bootstrap 95% intervals: rows are
 * resampled with replacement `resamples` times (seeded, so the same seed gives the same
 * intervals). The routing decision is held fixed; the interval is about which requests arrive.
 */
export function bootstrapIntervals(
  outcomes: RowOutcomes,
  largeScores: ArrayLike<number>,
  options: { seed: number; resamples?: number },
): OperatingFigures {
  const n = outcomes.quality.length;
  const resamples = options.resamples ?? 1000;
  let q = 0;
  let c = 0;
  let l = 0;
  let ql = 0;
  const figures = (): number[] => [q / n, (c / n) * 1000, l / n, ql > 0 ? q / ql : 0];
  for (let i = 0; i < n; i++) {
    q += outcomes.quality[i]!;
    c += outcomes.cost[i]!;
    l += outcomes.large[i]!;
    ql += largeScores[i]!;
  }
  const point = figures();
  const samples: number[][] = [[], [], [], []];
  const random = new SeededRandom(options.seed);
  for (let b = 0; b < resamples && n > 0; b++) {
    q = c = l = ql = 0;
    for (let k = 0; k < n; k++) {
      const i = Math.floor(random.next() * n);
      q += outcomes.quality[i]!;
      c += outcomes.cost[i]!;
      l += outcomes.large[i]!;
      ql += largeScores[i]!;
    }
    for (const [j, v] of figures().entries()) samples[j]!.push(v);
  }
  const estimate = (j: number): Estimate => {
    const sorted = samples[j]!.sort((a, b) => a - b);
    const value = point[j]!;
    if (sorted.length === 0) return { value, low: value, high: value };
    return { value, low: percentile(sorted, 0.025), high: percentile(sorted, 0.975) };
  };
  return { quality: estimate(0), costPer1k: estimate(1), largeShare: estimate(2), qualityVsLarge: estimate(3) };
}

/** The p-quantile of sorted values, linearly interpolated. */
export function percentile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
