import { Gauge, type Registry } from "prom-client";
import type { RequestLogRecord } from "../../storage/request-log-store.js";
import { type Interval, RollingSignal, type SignalReading } from "./rolling-signal.js";

export interface DriftSettings {
  /** Requests (or judgments, scores) in each sliding window. */
  window: number;
  /** Fewest observations before a signal can leave its band. */
  minSamples: number;
}

/** One router's drift signals now. */
export interface RouterDrift {
  router: string;
  /** Share of its requests served by a large-tier model, against the calibrated operating point. */
  largeShare: SignalReading;
  /** Share of its cascade requests whose first answer a quality gate refused. */
  gateFailures: SignalReading;
  /** Share of shadow comparisons (small against large) the small model won or tied. */
  shadowSmallWins: SignalReading;
  /** Mean feedback and judge score per model (in [0,1]). */
  scores: { model: string; source: "feedback" | "judge"; reading: SignalReading }[];
  /** A sentence per signal that left its band. */
  warnings: string[];
}

interface RouterSignals {
  /** The router's decision scores of the last `window` requests (a ring). */
  decisionScores: Float64Array;
  scoreCount: number;
  largeShare: RollingSignal;
  gateFailures: RollingSignal;
  shadowSmallWins: RollingSignal;
  scores: Map<string, { model: string; source: "feedback" | "judge"; signal: RollingSignal }>;
}

/**
 * Watches whether live traffic still looks like what each router was calibrated for: the live
 * large-model share against the artifact's calibrated interval, gate failure rates, feedback
 * and judge scores per model, and the shadow win rate of small against large. Each signal is a
 * sliding window with a band (the calibration, or its own first window); `read` names every
 * signal that left its band. Fed by the engine's request records and by feedback and shadow
 * judgments; exported as Prometheus gauges and by `GET /admin/status` (`rightsize status`).
 */
export class DriftMonitor {
  readonly #settings: DriftSettings;
  readonly #large: (model: string) => boolean;
  readonly #routers = new Map<string, RouterSignals>();

  constructor(settings: DriftSettings, isLarge: (model: string) => boolean, registry?: Registry) {
    this.#settings = settings;
    this.#large = isLarge;
    if (registry) this.#register(registry);
  }

  /** Sets the calibrated large-share interval of a router (null: none, use the baseline). */
  expectLargeShare(router: string, interval: Interval | null): void {
    this.#signals(router).largeShare.expect(interval);
  }

  /** A new router version serves: its windows start over. */
  restart(router: string): void {
    const signals = this.#signals(router);
    signals.largeShare.reset();
    signals.gateFailures.reset();
    signals.shadowSmallWins.reset();
    signals.scoreCount = 0;
  }

  /** A request the engine answered (only successful, routed requests count). */
  observeRequest(record: RequestLogRecord): void {
    if (!record.router || !record.model || record.status >= 400) return;
    const signals = this.#signals(record.router);
    signals.largeShare.observe(this.#large(record.model) ? 1 : 0);
    if (record.score !== null && Number.isFinite(record.score)) {
      signals.decisionScores[signals.scoreCount % signals.decisionScores.length] = record.score;
      signals.scoreCount++;
    }
    const cascadeSteps = record.attempts.filter((attempt) => attempt.step === "cascade");
    if (cascadeSteps.length > 0) {
      // A tier that answered and was followed by another tier: its gate refused the answer.
      const refused = cascadeSteps.slice(0, -1).some((attempt) => attempt.outcome === "ok");
      signals.gateFailures.observe(refused ? 1 : 0);
    }
  }

  /** Whether the router's live large-model share left its band (cheap: one signal). */
  largeShareOutOfBand(router: string): boolean {
    return this.#routers.get(router)?.largeShare.read().outOfBand ?? false;
  }

  /** The router's decision scores over the current window (unordered). */
  recentScores(router: string): Float64Array {
    const signals = this.#routers.get(router);
    if (!signals) return new Float64Array(0);
    return signals.decisionScores.slice(0, Math.min(signals.scoreCount, signals.decisionScores.length));
  }

  /** A shadow comparison of a small model's answer against a large model's: did the small one win or tie? */
  observeShadow(router: string, smallWonOrTied: boolean): void {
    this.#signals(router).shadowSmallWins.observe(smallWonOrTied ? 1 : 0);
  }

  /** A feedback value or judge score in [0,1] for a model's answer. */
  observeScore(router: string, model: string, source: "feedback" | "judge", score: number): void {
    if (!Number.isFinite(score)) return;
    const signals = this.#signals(router);
    const key = `${source}\u0000${model}`;
    let entry = signals.scores.get(key);
    if (!entry) {
      entry = { model, source, signal: this.#signal(false) };
      signals.scores.set(key, entry);
    }
    entry.signal.observe(Math.min(1, Math.max(0, score)));
  }

  read(): RouterDrift[] {
    return [...this.#routers.entries()].map(([router, signals]) => {
      const drift: RouterDrift = {
        router,
        largeShare: signals.largeShare.read(),
        gateFailures: signals.gateFailures.read(),
        shadowSmallWins: signals.shadowSmallWins.read(),
        scores: [...signals.scores.values()].map(({ model, source, signal }) => ({ model, source, reading: signal.read() })),
        warnings: [],
      };
      const warn = (name: string, reading: SignalReading) => {
        if (!reading.outOfBand || !reading.current || !reading.band) return;
        drift.warnings.push(
          `${router}: ${name} ${percent(reading.current.value)} (95% ${percent(reading.current.low)}–${percent(reading.current.high)}, ` +
            `${reading.samples} samples) left its ${reading.bandSource} band ${percent(reading.band.low)}–${percent(reading.band.high)}`,
        );
      };
      warn("large-model share", drift.largeShare);
      warn("gate failure rate", drift.gateFailures);
      warn("shadow win rate of small", drift.shadowSmallWins);
      for (const score of drift.scores) warn(`mean ${score.source} score of ${score.model}`, score.reading);
      return drift;
    });
  }

  #signal(binary: boolean): RollingSignal {
    return new RollingSignal({ window: this.#settings.window, minSamples: this.#settings.minSamples, binary });
  }

  #signals(router: string): RouterSignals {
    let signals = this.#routers.get(router);
    if (!signals) {
      signals = {
        decisionScores: new Float64Array(Math.max(1, this.#settings.window)),
        scoreCount: 0,
        largeShare: this.#signal(true),
        gateFailures: this.#signal(true),
        shadowSmallWins: this.#signal(true),
        scores: new Map(),
      };
      this.#routers.set(router, signals);
    }
    return signals;
  }

  #register(registry: Registry): void {
    const monitor = this;
    new Gauge({
      name: "rightsize_drift_signal",
      help: "Drift signals per router over a sliding window (signal: large_share, gate_failure_rate, shadow_small_win_rate, score:<source>:<model>).",
      labelNames: ["router", "signal", "bound"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const drift of monitor.read()) {
          const set = (signal: string, reading: SignalReading) => {
            if (!reading.current) return;
            this.set({ router: drift.router, signal, bound: "value" }, reading.current.value);
            if (reading.band) {
              this.set({ router: drift.router, signal, bound: "band_low" }, reading.band.low);
              this.set({ router: drift.router, signal, bound: "band_high" }, reading.band.high);
            }
          };
          set("large_share", drift.largeShare);
          set("gate_failure_rate", drift.gateFailures);
          set("shadow_small_win_rate", drift.shadowSmallWins);
          for (const score of drift.scores) set(`score:${score.source}:${score.model}`, score.reading);
        }
      },
    });
    new Gauge({
      name: "rightsize_drift_out_of_band",
      help: "1 when a router's drift signal left its band (the calibrated interval, or its first window).",
      labelNames: ["router", "signal"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const drift of monitor.read()) {
          this.set({ router: drift.router, signal: "large_share" }, drift.largeShare.outOfBand ? 1 : 0);
          this.set({ router: drift.router, signal: "gate_failure_rate" }, drift.gateFailures.outOfBand ? 1 : 0);
          this.set({ router: drift.router, signal: "shadow_small_win_rate" }, drift.shadowSmallWins.outOfBand ? 1 : 0);
          for (const score of drift.scores) {
            this.set({ router: drift.router, signal: `score:${score.source}:${score.model}` }, score.reading.outOfBand ? 1 : 0);
          }
        }
      },
    });
  }
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
