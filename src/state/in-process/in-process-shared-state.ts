import type { BreakerPolicy } from "../shared-breakers.js";
import type { SharedState } from "../shared-state.js";
import type { SharedStateStatus } from "../shared-state-status.js";
import { InProcessArtifacts } from "./in-process-artifacts.js";
import { InProcessBreakers } from "./in-process-breakers.js";
import { InProcessQuotas } from "./in-process-quotas.js";

/** The shared state of a single gateway: everything in memory, always "connected". */
export class InProcessSharedState implements SharedState {
  readonly breakers: InProcessBreakers;
  readonly quotas: InProcessQuotas;
  readonly artifacts = new InProcessArtifacts();
  private readonly since: number;

  constructor(policy: BreakerPolicy, now: () => number = Date.now) {
    this.breakers = new InProcessBreakers(policy, now);
    this.quotas = new InProcessQuotas(now);
    this.since = now();
  }

  status(): SharedStateStatus {
    return { kind: "in-process", state: "connected", reconnects: 0, since: this.since, lastError: null, pendingSettlements: 0 };
  }

  onStatus(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {}
}
