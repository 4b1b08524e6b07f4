import { randomUUID } from "node:crypto";
import type { BreakerPass, BreakerPermit, BreakerPolicy, BreakerView, SharedBreakers } from "../shared-breakers.js";

interface Circuit {
  failures: number;
  /** 0 when closed; else when the open period ends (then half-open). */
  openUntil: number;
  probeToken: string | null;
  probeUntil: number;
}

/**
 * Circuit breakers in this process: the same rule as the Redis ones (the Redis scripts are a
 * transcription of these methods), for one gateway and as the fallback while Redis is away.
 */
export class InProcessBreakers implements SharedBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly now: () => number = Date.now,
    private readonly shared = true,
  ) {}

  async acquire(model: string): Promise<BreakerPermit> {
    return this.acquireNow(model);
  }

  acquireNow(model: string): BreakerPermit {
    const circuit = this.circuits.get(model);
    const now = this.now();
    if (!circuit || circuit.openUntil === 0) return this.pass(false);
    if (now < circuit.openUntil) return { allowed: false, retryInMs: circuit.openUntil - now };
    if (circuit.probeToken !== null && now < circuit.probeUntil) return { allowed: false, retryInMs: circuit.probeUntil - now };
    const pass = this.pass(true);
    circuit.probeToken = pass.token;
    circuit.probeUntil = now + (this.policy.probeTimeoutMs ?? this.policy.cooldownMs);
    return pass;
  }

  async onSuccess(model: string, _pass: BreakerPass): Promise<void> {
    this.circuits.delete(model);
  }

  async onFailure(model: string, pass: BreakerPass): Promise<void> {
    const circuit = this.circuitOf(model);
    circuit.failures += 1;
    const wasProbe = pass.probe && circuit.probeToken === pass.token;
    if (wasProbe) circuit.probeToken = null;
    if (wasProbe || circuit.failures >= this.policy.failureThreshold) circuit.openUntil = this.now() + this.policy.cooldownMs;
  }

  async release(model: string, pass: BreakerPass): Promise<void> {
    const circuit = this.circuits.get(model);
    if (circuit && pass.probe && circuit.probeToken === pass.token) circuit.probeToken = null;
  }

  view(model: string): BreakerView {
    const circuit = this.circuits.get(model);
    if (!circuit) return { state: "closed", failures: 0, retryInMs: 0 };
    const now = this.now();
    if (circuit.openUntil === 0) return { state: "closed", failures: circuit.failures, retryInMs: 0 };
    if (now < circuit.openUntil) return { state: "open", failures: circuit.failures, retryInMs: circuit.openUntil - now };
    return { state: "half-open", failures: circuit.failures, retryInMs: 0 };
  }

  private circuitOf(model: string): Circuit {
    let circuit = this.circuits.get(model);
    if (!circuit) {
      circuit = { failures: 0, openUntil: 0, probeToken: null, probeUntil: 0 };
      this.circuits.set(model, circuit);
    }
    return circuit;
  }

  private pass(probe: boolean): BreakerPass {
    return { allowed: true, probe, token: probe ? randomUUID() : "", shared: this.shared };
  }
}
