/** How the shared state is doing, for /metrics and the log. */
export interface SharedStateStatus {
  kind: "in-process" | "redis";
  /** connected: shared across gateways; degraded: the shared store is unreachable and local state is used. */
  state: "connected" | "degraded";
  /** Times the connection came back after being lost. */
  reconnects: number;
  /** Epoch milliseconds of the last change of state. */
  since: number;
  lastError: string | null;
  /** Settlements made while degraded, waiting to be applied to the shared counters. */
  pendingSettlements: number;
}
