import type { FeedbackRecord } from "./feedback-record.js";
import type { RequestLogRecord } from "./request-log-store.js";
import type { ShadowRecord } from "./shadow-record.js";

/**
 * A logged request with what was learned about it since: its current feedback (its own and
 * its episode's) and its shadow judgments. What exports read.
 */
export interface LoggedExchange {
  request: RequestLogRecord;
  /** Current feedback values for the request itself (superseded ones left out). */
  feedback: FeedbackRecord[];
  /** Current feedback values for the request's episode. */
  episodeFeedback: FeedbackRecord[];
  shadows: ShadowRecord[];
}

export interface ExchangeQuery {
  /** Epoch ms; only requests that arrived at or after this time. */
  since?: number;
  /** Only requests with a served model and an answer (default true). */
  servedOnly?: boolean;
  /** Requests read per page (default 500). */
  pageSize?: number;
}
