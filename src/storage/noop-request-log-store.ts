import type { FeedbackSummary } from "./feedback-record.js";
import { emptyShadowSummary } from "./feedback-query.js";
import type { LoggedExchange } from "./request-log-store.js";
import type { CostSummary, RequestLogRecord, RequestLogStore } from "./request-log-store.js";
import type { ShadowRecord, ShadowSummary } from "./shadow-record.js";

/** The store used when `storage.enabled` is false: accepts and forgets everything. */
export class NoopRequestLogStore implements RequestLogStore {
  append(_record: RequestLogRecord): void {}
  appendShadow(_record: ShadowRecord): void {}
  async appendFeedback(): Promise<void> {}
  async flush(): Promise<void> {}
  async list(): Promise<RequestLogRecord[]> {
    return [];
  }
  async findRequest(): Promise<undefined> {
    return undefined;
  }
  async findEpisode(): Promise<undefined> {
    return undefined;
  }
  async listFeedback(): Promise<[]> {
    return [];
  }
  async feedbackSummary(): Promise<FeedbackSummary> {
    return { records: 0, current: 0, metrics: [] };
  }
  async listShadow(): Promise<[]> {
    return [];
  }
  async shadowSummary(): Promise<ShadowSummary> {
    return emptyShadowSummary();
  }
  async *exchanges(): AsyncIterable<LoggedExchange> {}
  async count(): Promise<number> {
    return 0;
  }
  async costSummary(): Promise<CostSummary> {
    return { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, byModel: [], byKey: [] };
  }
  async close(): Promise<void> {}
}
