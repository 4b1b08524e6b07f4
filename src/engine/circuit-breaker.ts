import type { BreakerConfig } from "../config/config-schema.js";

export type BreakerState = "closed" | "open" | "half-open";

/** What the engine asks of a model's breaker (`CircuitBreaker` here; one over shared state when several gateways share it). */
export interface ModelBreaker {
  readonly state: BreakerState;
  tryAcquire(): boolean;
  retryInMs(): number;
  onSuccess(): void;
  onFailure(): void;
  onRelease(): void;
}

/**
 * Per-model circuit breaker: `failureThreshold` consecutive failures open the circuit; after
 * `cooldownMs` one probe request is let through (half-open); its success closes the circuit,
 * its failure opens it again for another cooldown.
 */
export class CircuitBreaker implements ModelBreaker {
  private failures = 0;
  private openedAt = 0;
  private stateValue: BreakerState = "closed";
  private probeInFlight = false;

  constructor(
    private readonly config: BreakerConfig,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.stateValue === "open" && this.now() - this.openedAt >= this.config.cooldownMs) return "half-open";
    return this.stateValue;
  }

  /** Whether a request may go to this model now; in half-open state only one probe at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open") return false;
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** Milliseconds until an open circuit lets a probe through (0 when not open). */
  retryInMs(): number {
    if (this.stateValue !== "open") return 0;
    return Math.max(0, this.config.cooldownMs - (this.now() - this.openedAt));
  }

  onSuccess(): void {
    this.failures = 0;
    this.probeInFlight = false;
    this.stateValue = "closed";
  }

  onFailure(): void {
    const wasProbe = this.probeInFlight;
    this.probeInFlight = false;
    this.failures += 1;
    if (wasProbe || this.failures >= this.config.failureThreshold) {
      this.stateValue = "open";
      this.openedAt = this.now();
    }
  }

  /** A request that was let through ended without a verdict on the model (client abort). */
  onRelease(): void {
    this.probeInFlight = false;
  }
}
