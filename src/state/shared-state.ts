import type { ArtifactVersions } from "./artifact-versions.js";
import type { QuotaLedger } from "./quota-ledger.js";
import type { SharedBreakers } from "./shared-breakers.js";
import type { SharedStateStatus } from "./shared-state-status.js";

/**
 * What N gateways must agree on: circuit breakers per model, rate-limit and budget counters per
 * key, and the router artifact version. In-process for one gateway, Redis for several; when
 * Redis is unreachable the Redis state keeps working on local state and says so in `status()`.
 */
export interface SharedState {
  readonly breakers: SharedBreakers;
  readonly quotas: QuotaLedger;
  readonly artifacts: ArtifactVersions;
  status(): SharedStateStatus;
  /** Calls `listener` on every change of status. Returns the unsubscribe function. */
  onStatus(listener: (status: SharedStateStatus) => void): () => void;
  close(): Promise<void>;
}
