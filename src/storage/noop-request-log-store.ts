import type { CostSummary, RequestLogRecord, RequestLogStore } from "./request-log-store.js";

/** The store used when `storage.enabled` is false: accepts and forgets everything. */
export class NoopRequestLogStore implements RequestLogStore {
  append(_record: RequestLogRecord): void {}
  async flush(): Promise<void> {}
  async list(): Promise<RequestLogRecord[]> {
    return [];
  }
  async count(): Promise<number> {
    return 0;
  }
  async costSummary(): Promise<CostSummary> {
    return { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, byModel: [] };
  }
  async close(): Promise<void> {}
}
