import type { BreakerState, ModelBreaker } from "../engine/circuit-breaker.js";
import type { BreakerPass, SharedBreakers } from "../state/shared-breakers.js";

/**
 * The engine's breaker for one model over breakers shared by every gateway (Redis). The engine
 * asks synchronously, so this answers from the gateway's mirror of the circuit (`view`, no round
 * trip): closed lets the call through; open refuses it; half-open asks the shared state for the
 * one probe in the background and lets the next call through as that probe once this gateway
 * holds it (so exactly one gateway probes). Outcomes go to the shared state, where failures on
 * any gateway add up and open the circuit on all of them.
 */
export class SharedModelBreaker implements ModelBreaker {
  private heldProbe: BreakerPass | null = null;
  private probeInFlight: BreakerPass | null = null;
  private asking = false;

  constructor(
    private readonly model: string,
    private readonly breakers: SharedBreakers,
    /** Whether the shared state is reachable now (else its local fallback decides). */
    private readonly shared: () => boolean,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    // Learn the circuit's shared state before the first call (a circuit opened by another gateway).
    this.ask(true);
  }

  get state(): BreakerState {
    return this.breakers.view(this.model).state;
  }

  tryAcquire(): boolean {
    const view = this.breakers.view(this.model);
    if (view.state === "closed") return true;
    if (view.state === "open") return false;
    if (this.probeInFlight) return false;
    if (this.heldProbe) {
      this.probeInFlight = this.heldProbe;
      this.heldProbe = null;
      return true;
    }
    this.ask(false);
    return false;
  }

  retryInMs(): number {
    return this.breakers.view(this.model).retryInMs;
  }

  onSuccess(): void {
    this.settle((pass) => this.breakers.onSuccess(this.model, pass));
  }

  onFailure(): void {
    this.settle((pass) => this.breakers.onFailure(this.model, pass));
  }

  onRelease(): void {
    this.settle((pass) => this.breakers.release(this.model, pass));
  }

  private settle(report: (pass: BreakerPass) => Promise<void>): void {
    const pass = this.probeInFlight ?? { allowed: true as const, probe: false, token: "", shared: this.shared() };
    this.probeInFlight = null;
    report(pass).catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))));
  }

  /** Asks the shared state for a permit; a probe is kept for the next call (or given back when only learning). */
  private ask(learnOnly: boolean): void {
    if (this.asking) return;
    this.asking = true;
    this.breakers
      .acquire(this.model)
      .then(async (permit) => {
        if (!permit.allowed || !permit.probe) return;
        if (learnOnly) await this.breakers.release(this.model, permit);
        else this.heldProbe = permit;
      })
      .catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.asking = false;
      });
  }
}
