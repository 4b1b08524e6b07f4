import type { ShadowRecord } from "../../storage/shadow-record.js";

/** How a shadow job ended: judged (a score), unparseable (no score), failed (a call failed), over budget, aborted (shutdown). */
export type ShadowJobOutcome = "judged" | "unparseable" | "failed" | "over_budget" | "aborted";

/** Why a shadow job was dropped before it ran: its queue was full, the gateway was busy, or it was shutting down. */
export type ShadowShedReason = "queue_full" | "busy" | "shutdown";

/** Hooks for metrics of the shadow scheduler (off the served path). */
export interface ShadowObserver {
  onShadowJob?(router: string, outcome: ShadowJobOutcome, result?: ShadowRecord): void;
  onShadowShed?(router: string, reason: ShadowShedReason): void;
  onShadowQueue?(waiting: number, running: number): void;
}
