/** The circuit-breaker rule every gateway applies to every model. */
export interface BreakerPolicy {
  /** Consecutive failures (across all gateways) that open a model's circuit. */
  failureThreshold: number;
  /** How long an open circuit rejects calls before one probe is let through. */
  cooldownMs: number;
  /** Longest a half-open probe holds its slot; a gateway that died mid-probe frees it after this (default: cooldownMs). */
  probeTimeoutMs?: number;
}

export type BreakerState = "closed" | "open" | "half-open";

/** A call let through: `probe` when it is the one half-open trial; settle it with onSuccess, onFailure or release. */
export interface BreakerPass {
  allowed: true;
  probe: boolean;
  /** Identifies the probe holder, so only it can settle the probe. */
  token: string;
  /** Whether the shared state decided (false: the local fallback did, while the shared store was unreachable). */
  shared: boolean;
}

export type BreakerPermit = BreakerPass | { allowed: false; retryInMs: number };

/** A gateway's view of one model's circuit. */
export interface BreakerView {
  state: BreakerState;
  failures: number;
  retryInMs: number;
}

/**
 * Circuit breakers per model, shared by every gateway that uses the same state: failures on one
 * gateway count on all, an open circuit is open everywhere, and after the cooldown exactly one
 * gateway gets the half-open probe.
 */
export interface SharedBreakers {
  /** Whether a call to `model` may go ahead now. */
  acquire(model: string): Promise<BreakerPermit>;
  /** The call succeeded: the circuit closes and the consecutive-failure count restarts. */
  onSuccess(model: string, pass: BreakerPass): Promise<void>;
  /** The call failed: one more consecutive failure; the threshold, or a failed probe, opens the circuit. */
  onFailure(model: string, pass: BreakerPass): Promise<void>;
  /** The call ended without a verdict on the model (the client went away): a probe's slot is freed. */
  release(model: string, pass: BreakerPass): Promise<void>;
  /** This gateway's current view, without a round trip (metrics, status). */
  view(model: string): BreakerView;
}
