import type { RequestLogStoreOptions } from "./request-log-options.js";
import { defaultOnError } from "./request-log-options.js";
import { compareNewestFirst, listLimit, matchesQuery, summarizeCost } from "./request-log-query.js";
import type { CostSummary, RequestLogQuery, RequestLogRecord, RequestLogStore } from "./request-log-store.js";
import { createRecordSanitizer } from "./sanitize-record.js";

/** A request log held in memory (tests, `storage.path: ":memory:"`). Records are copied in and out. */
export class MemoryRequestLogStore implements RequestLogStore {
  private readonly records: RequestLogRecord[] = [];
  private readonly ids = new Set<string>();
  private readonly sanitize: (record: RequestLogRecord) => RequestLogRecord;
  private readonly onError: (error: Error) => void;
  private closed = false;

  constructor(options: RequestLogStoreOptions = {}) {
    this.sanitize = createRecordSanitizer(options);
    this.onError = options.onError ?? defaultOnError;
  }

  append(record: RequestLogRecord): void {
    if (this.closed) {
      this.onError(new Error(`store is closed; request ${record.id} was not logged`));
      return;
    }
    if (this.ids.has(record.id)) {
      this.onError(new Error(`duplicate request id ${record.id}; the second record was not logged`));
      return;
    }
    this.ids.add(record.id);
    this.records.push(structuredClone(this.sanitize(record)));
  }

  async flush(): Promise<void> {}

  async list(query: RequestLogQuery = {}): Promise<RequestLogRecord[]> {
    const limit = listLimit(query);
    return this.records
      .filter((record) => matchesQuery(record, query))
      .sort(compareNewestFirst)
      .slice(0, limit)
      .map((record) => structuredClone(record));
  }

  async count(): Promise<number> {
    return this.records.length;
  }

  async costSummary(query: RequestLogQuery = {}): Promise<CostSummary> {
    return summarizeCost(this.records.filter((record) => matchesQuery(record, query)));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
