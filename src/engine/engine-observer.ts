import type { ChatRequest } from "../core/chat-request.js";
import type { AttemptRecord, RequestLogRecord } from "../storage/request-log-store.js";

/** A request the engine finished, with what its log row may leave out: the request and the whole answer. */
export interface FinishedRequest {
  request: ChatRequest;
  record: RequestLogRecord;
  /** The answer's text as served (tool calls as JSON), whatever `storage.logContent` says; null when none. */
  answer: string | null;
  /** Lower-cased request headers. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Hooks for metrics: called on the engine's path, so implementations must be cheap. */
export interface EngineObserver {
  onAttempt?(attempt: AttemptRecord): void;
  onRequestEnd?(record: RequestLogRecord): void;
  /** After `onRequestEnd`, for whoever needs the request and answer too (shadow evaluation); must only queue work. */
  onFinished?(finished: FinishedRequest): void;
}
