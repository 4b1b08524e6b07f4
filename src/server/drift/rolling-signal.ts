/** An estimate with its 95% interval. */
export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** What a signal looks like now against its band. */
export interface SignalReading {
  /** Observations in the current window. */
  samples: number;
  /** Mean over the current window with its 95% interval (null before the first observation). */
  current: Interval | null;
  /** The band it should stay in: the calibrated interval, else the signal's first window (null until known). */
  band: Interval | null;
  bandSource: "calibration" | "baseline" | null;
  /** True when there are enough samples and the current interval lies outside the band. */
  outOfBand: boolean;
}

/**
 * A stream of observations in [0,1] (a 0/1 event such as "served by the large model", or a
 * score) over a sliding window of the last `window` values, with a band: an expected interval
 * (the router's calibrated operating point) or, without one, the first `minSamples` values.
 * It is out of band when the current window's 95% interval and the band do not overlap, so
 * a handful of requests never raises a warning.
 */
export class RollingSignal {
  readonly #values: Float64Array;
  #next = 0;
  #count = 0;
  #sum = 0;
  #sumSquares = 0;
  #expected: Interval | null = null;
  #baseline: Interval | null = null;
  readonly #binary: boolean;
  readonly #minSamples: number;

  constructor(options: { window: number; minSamples: number; binary: boolean }) {
    this.#values = new Float64Array(Math.max(1, options.window));
    this.#minSamples = Math.max(1, Math.min(options.minSamples, options.window));
    this.#binary = options.binary;
  }

  /** Sets (or clears) the calibrated band; the baseline is used only while none is set. */
  expect(interval: Interval | null): void {
    this.#expected = interval;
  }

  /** Starts the window and the baseline over (a new router version serves). */
  reset(): void {
    this.#next = 0;
    this.#count = 0;
    this.#sum = 0;
    this.#sumSquares = 0;
    this.#baseline = null;
  }

  observe(value: number): void {
    const capacity = this.#values.length;
    if (this.#count === capacity) {
      const old = this.#values[this.#next] ?? 0;
      this.#sum -= old;
      this.#sumSquares -= old * old;
    } else this.#count++;
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % capacity;
    this.#sum += value;
    this.#sumSquares += value * value;
    if (!this.#baseline && this.#count >= this.#minSamples) this.#baseline = this.#interval();
  }

  read(): SignalReading {
    const current = this.#count > 0 ? this.#interval() : null;
    const band = this.#expected ?? this.#baseline;
    const bandSource = this.#expected ? "calibration" : this.#baseline ? "baseline" : null;
    const outOfBand =
      current !== null && band !== null && this.#count >= this.#minSamples && (current.low > band.high || current.high < band.low);
    return { samples: this.#count, current, band, bandSource, outOfBand };
  }

  #interval(): Interval {
    const n = this.#count;
    const mean = this.#sum / n;
    if (this.#binary) return wilson(mean, n);
    const variance = Math.max(0, this.#sumSquares / n - mean * mean) * (n / Math.max(1, n - 1));
    const half = 1.96 * Math.sqrt(variance / n);
    return { value: mean, low: mean - half, high: mean + half };
  }
}

/** Wilson score 95% interval of a proportion. */
export function wilson(p: number, n: number): Interval {
  if (n === 0) return { value: p, low: 0, high: 1 };
  const z = 1.96;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
