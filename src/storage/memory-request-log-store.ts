import type { FeedbackQuery, FeedbackRecord, FeedbackSummary } from "./feedback-record.js";
import { currentFeedback, matchesShadowQuery, selectFeedback, summarizeFeedback, summarizeShadow } from "./feedback-query.js";
import type { ExchangeQuery, LoggedExchange } from "./request-log-store.js";
import type { RequestLogStoreOptions } from "./request-log-options.js";
import { defaultOnError } from "./request-log-options.js";
import { compareNewestFirst, isServed, listLimit, matchesQuery, summarizeCost } from "./request-log-query.js";
import type { CostSummary, EpisodeInfo, RequestLogQuery, RequestLogRecord, RequestLogStore } from "./request-log-store.js";
import { createFeedbackSanitizer, createRecordSanitizer, createShadowSanitizer } from "./sanitize-record.js";
import type { ShadowQuery, ShadowRecord, ShadowSummary } from "./shadow-record.js";

/** A request log held in memory (tests, `storage.path: ":memory:"`). Records are copied in and out. */
export class MemoryRequestLogStore implements RequestLogStore {
  private readonly records: RequestLogRecord[] = [];
  private readonly byId = new Map<string, RequestLogRecord>();
  private readonly feedback: FeedbackRecord[] = [];
  private readonly shadows: ShadowRecord[] = [];
  private readonly sanitize: (record: RequestLogRecord) => RequestLogRecord;
  private readonly sanitizeFeedback: (record: FeedbackRecord) => FeedbackRecord;
  private readonly sanitizeShadow: (record: ShadowRecord) => ShadowRecord;
  private readonly onError: (error: Error) => void;
  private closed = false;

  constructor(options: RequestLogStoreOptions = {}) {
    this.sanitize = createRecordSanitizer(options);
    this.sanitizeFeedback = createFeedbackSanitizer(options);
    this.sanitizeShadow = createShadowSanitizer(options);
    this.onError = options.onError ?? defaultOnError;
  }

  append(record: RequestLogRecord): void {
    if (this.closed) {
      this.onError(new Error(`store is closed; request ${record.id} was not logged`));
      return;
    }
    if (this.byId.has(record.id)) {
      this.onError(new Error(`duplicate request id ${record.id}; the second record was not logged`));
      return;
    }
    const stored = structuredClone(this.sanitize(record));
    this.byId.set(record.id, stored);
    this.records.push(stored);
  }

  appendShadow(record: ShadowRecord): void {
    if (this.closed) {
      this.onError(new Error(`store is closed; shadow judgment ${record.id} was not logged`));
      return;
    }
    this.shadows.push(structuredClone(this.sanitizeShadow(record)));
  }

  async appendFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    if (this.closed) throw new Error("store is closed; the feedback was not stored");
    const ids = new Set(this.feedback.map((record) => record.id));
    for (const record of records) {
      if (ids.has(record.id)) throw new Error(`duplicate feedback id ${record.id}; nothing was stored`);
      ids.add(record.id);
    }
    this.feedback.push(...records.map((record) => structuredClone(this.sanitizeFeedback(record))));
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

  async findRequest(id: string): Promise<RequestLogRecord | undefined> {
    const record = this.byId.get(id);
    return record ? structuredClone(record) : undefined;
  }

  async findEpisode(episodeId: string): Promise<EpisodeInfo | undefined> {
    const requests = this.records.filter((record) => record.episodeId === episodeId);
    if (requests.length === 0) return undefined;
    return { episodeId, requests: requests.length, callerIds: [...new Set(requests.map((record) => record.callerId))] };
  }

  async listFeedback(query: FeedbackQuery = {}): Promise<FeedbackRecord[]> {
    return selectFeedback(this.feedback, query).map((record) => structuredClone(record));
  }

  async feedbackSummary(query: RequestLogQuery = {}): Promise<FeedbackSummary> {
    return summarizeFeedback(this.feedback.filter((record) => this.feedbackMatches(record, query)));
  }

  async listShadow(query: ShadowQuery = {}): Promise<ShadowRecord[]> {
    return this.shadows
      .filter((record) => matchesShadowQuery(record, query))
      .slice(0, listLimit(query))
      .map((record) => structuredClone(record));
  }

  async shadowSummary(query: RequestLogQuery = {}): Promise<ShadowSummary> {
    return summarizeShadow(
      this.shadows.filter(
        (record) =>
          (query.since === undefined || record.time >= query.since) && (query.model === undefined || record.servedModel === query.model),
      ),
    );
  }

  async *exchanges(query: ExchangeQuery = {}): AsyncIterable<LoggedExchange> {
    const servedOnly = query.servedOnly ?? true;
    const requests = this.records
      .filter((record) => (query.since === undefined || record.time >= query.since) && (!servedOnly || isServed(record)))
      .sort((a, b) => -compareNewestFirst(a, b));
    const current = currentFeedback(this.feedback);
    for (const request of requests) {
      yield structuredClone({
        request,
        feedback: current.filter((record) => record.requestId === request.id),
        episodeFeedback: request.episodeId === undefined ? [] : current.filter((record) => record.episodeId === request.episodeId),
        shadows: this.shadows.filter((record) => record.requestId === request.id),
      });
    }
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

  private feedbackMatches(record: FeedbackRecord, query: RequestLogQuery): boolean {
    if (query.since !== undefined && record.time < query.since) return false;
    if (query.model === undefined) return true;
    return record.requestId !== null && this.byId.get(record.requestId)?.model === query.model;
  }
}
