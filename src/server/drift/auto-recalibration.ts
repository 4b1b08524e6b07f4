import type { RouterReloader } from "../router-reloader.js";
import type { DriftMonitor } from "./drift-monitor.js";
import { type Interval, wilson } from "./rolling-signal.js";

/**
 * The threshold at which a share `share` of these decision scores route to the large model
 * (score ≥ threshold): the (1 − share) quantile, kept in [0, 1].
 */
export function thresholdForShare(scores: ArrayLike<number>, share: number): number {
  const sorted = Float64Array.from(scores).sort();
  const n = sorted.length;
  if (n === 0) return 0.5;
  if (share <= 0) return 1;
  const index = Math.min(n - 1, Math.max(0, Math.ceil((1 - share) * n)));
  return Math.min(1, Math.max(0, sorted[index] ?? 0.5));
}

/**
 * `drift.autoRecalibrate`: when a learned pair router whose artifact targets a large-model share
 * drifts out of its band, the threshold is recomputed from the live window's decision scores so
 * that the target share of them goes to the large model, and the router is swapped (trigger
 * `recalibrate`); its drift windows start over with the target's interval as their band.
 */
export class AutoRecalibration {
  readonly #pending = new Set<string>();

  constructor(
    private readonly drift: DriftMonitor,
    private readonly reloader: RouterReloader,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** Looks at router `id` after one of its requests (cheap unless it drifted). */
  check(id: string): void {
    if (this.#pending.has(id) || !this.reloader.has(id) || !this.drift.largeShareOutOfBand(id)) return;
    this.#pending.add(id);
    void this.#recalibrate(id)
      .catch((error: Error) => this.onError(error))
      .finally(() => this.#pending.delete(id));
  }

  async #recalibrate(id: string): Promise<void> {
    const target = await this.reloader.calibrationTarget(id);
    if (target?.kind !== "large-share") return;
    const scores = this.drift.recentScores(id);
    if (scores.length === 0) return;
    const threshold = thresholdForShare(scores, target.value);
    const expected: Interval = { ...wilson(target.value, scores.length), value: target.value };
    await this.reloader.recalibrate(id, threshold, expected);
  }
}
