import { Gauge, type Registry } from "prom-client";
import type { z } from "zod";
import type { canarySchema } from "../../config/learning-loop-config-schema.js";
import { CanaryArm } from "./canary-arm.js";
import type { CanaryRouting } from "./canary-router.js";

export type CanaryConfig = z.output<typeof canarySchema>;

/** What `rightsize status` shows of a canary. */
export interface CanaryStatus {
  incumbent: string;
  candidate: string;
  state: "running" | "promoted" | "rolled-back";
  share: number;
  arms: { model: string; served: number; samples: number; mean: number | null }[];
  /** candidate − incumbent mean score with its 95% interval, once both arms have a sample. */
  difference: { value: number; low: number; high: number } | null;
  decision: string;
}

/**
 * A canary for a candidate model: it answers `share` of the incumbent's requests (or none: shadow
 * traffic only, when the shadow section targets it), its answers and the incumbent's are scored by
 * feedback and judge, and every `checkEvery` the rule decides once both arms have `minSamples`
 * scores: promote when the 95% interval of candidate − incumbent lies above −margin (it is not
 * worse), roll back when it lies below −margin (it is worse), else keep going.
 */
export class CanaryMonitor implements CanaryRouting {
  readonly incumbent: string;
  readonly candidate: string;
  readonly #config: CanaryConfig;
  readonly #arms: { incumbent: CanaryArm; candidate: CanaryArm } = { incumbent: new CanaryArm(), candidate: new CanaryArm() };
  #state: CanaryStatus["state"] = "running";
  #decision = "collecting scores";
  #timer?: NodeJS.Timeout;
  readonly #onDecision: ((status: CanaryStatus) => void) | undefined;

  constructor(config: CanaryConfig, onDecision?: (status: CanaryStatus) => void) {
    this.#config = config;
    this.incumbent = config.incumbent;
    this.candidate = config.candidate;
    this.#onDecision = onDecision;
  }

  share(): number {
    return this.#state === "promoted" ? 1 : this.#state === "rolled-back" ? 0 : this.#config.share;
  }

  onRouted(arm: "incumbent" | "candidate"): void {
    this.#arms[arm].served++;
  }

  /** A score in [0,1] (feedback or judge) of an answer by `model`. */
  observe(model: string, score: number): void {
    if (!Number.isFinite(score)) return;
    const arm = model === this.candidate ? this.#arms.candidate : model === this.incumbent ? this.#arms.incumbent : undefined;
    arm?.observe(Math.min(1, Math.max(0, score)));
  }

  start(everyMs: number): void {
    this.#timer = setInterval(() => this.check(), everyMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
  }

  /** Applies the rule now. */
  check(): CanaryStatus {
    const status = this.status();
    if (this.#state !== "running") return status;
    const { incumbent, candidate } = this.#arms;
    const min = this.#config.minSamples;
    if (incumbent.samples < min || candidate.samples < min || !status.difference) {
      this.#decision = `collecting scores (${candidate.samples} / ${incumbent.samples} of ${min} each)`;
      return this.status();
    }
    const { low, high, value } = status.difference;
    const margin = this.#config.margin;
    const shown = `${value >= 0 ? "+" : ""}${value.toFixed(3)} (95% ${low.toFixed(3)} to ${high.toFixed(3)})`;
    if (low >= -margin) {
      this.#state = "promoted";
      this.#decision = `promoted: candidate − incumbent ${shown} ≥ −${margin}; ${this.candidate} now answers all of ${this.incumbent}'s requests`;
    } else if (high < -margin) {
      this.#state = "rolled-back";
      this.#decision = `rolled back: candidate − incumbent ${shown} < −${margin}; ${this.incumbent} answers again`;
    } else {
      this.#decision = `undecided: candidate − incumbent ${shown} straddles −${margin}`;
      return this.status();
    }
    const decided = this.status();
    this.#onDecision?.(decided);
    return decided;
  }

  status(): CanaryStatus {
    const { incumbent, candidate } = this.#arms;
    const both = incumbent.samples > 1 && candidate.samples > 1;
    const value = candidate.mean - incumbent.mean;
    const half = 1.96 * Math.sqrt(incumbent.varianceOfMean + candidate.varianceOfMean);
    return {
      incumbent: this.incumbent,
      candidate: this.candidate,
      state: this.#state,
      share: this.share(),
      arms: [
        { model: this.incumbent, served: incumbent.served, samples: incumbent.samples, mean: incumbent.samples ? incumbent.mean : null },
        { model: this.candidate, served: candidate.served, samples: candidate.samples, mean: candidate.samples ? candidate.mean : null },
      ],
      difference: both ? { value, low: value - half, high: value + half } : null,
      decision: this.#decision,
    };
  }
}

/** Prometheus gauges of every canary: state, share and each arm's mean score and samples. */
export function registerCanaryMetrics(registry: Registry, canaries: readonly CanaryMonitor[]): void {
  new Gauge({
    name: "rightsize_canary",
    help: "Canaries: share of the incumbent's requests the candidate answers, each arm's mean score and samples, and state (1 running, 2 promoted, 3 rolled back).",
    labelNames: ["incumbent", "candidate", "figure"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const canary of canaries) {
        const status = canary.status();
        const labels = { incumbent: status.incumbent, candidate: status.candidate };
        this.set({ ...labels, figure: "share" }, status.share);
        this.set({ ...labels, figure: "state" }, status.state === "running" ? 1 : status.state === "promoted" ? 2 : 3);
        for (const [i, arm] of status.arms.entries()) {
          const name = i === 0 ? "incumbent" : "candidate";
          this.set({ ...labels, figure: `${name}_samples` }, arm.samples);
          if (arm.mean !== null) this.set({ ...labels, figure: `${name}_mean_score` }, arm.mean);
        }
      }
    },
  });
}
