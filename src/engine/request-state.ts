import type { AttemptRecord } from "../storage/request-log-store.js";

/** What the engine tracks for one request while it runs. */
export interface RequestState {
  id: string;
  /** Aborts on client disconnect (reason ClientAbortError) or the total deadline (TimeoutError). */
  signal: AbortSignal;
  startedAt: number;
  /** performance.now() at the start, for latencies. */
  startedAtMonotonic: number;
  attempts: AttemptRecord[];
}
