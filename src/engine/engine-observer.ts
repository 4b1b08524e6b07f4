import type { AttemptRecord, RequestLogRecord } from "../storage/request-log-store.js";

/** Hooks for metrics: called on the engine's path, so implementations must be cheap. */
export interface EngineObserver {
  onAttempt?(attempt: AttemptRecord): void;
  onRequestEnd?(record: RequestLogRecord): void;
}
