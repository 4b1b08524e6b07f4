import type { RightsizeError } from "../core/errors.js";
import type { EngineObserver } from "../engine/engine-observer.js";
import type { RequestLogRecord, RequestLogStore } from "../storage/request-log-store.js";
import type { GatewayMetrics } from "./gateway-metrics.js";

interface Held {
  record: RequestLogRecord;
  append: boolean;
  count: boolean;
}

/**
 * Where every request's outcome goes: one request-log row and one count in the metrics.
 *
 * The engine writes the rows of the requests it runs (through `store` and `observer`); the HTTP
 * layer writes those of requests it rejects itself (`reject`). A failed engine request's row
 * waits, at most until the end of the current event-loop turn, for the HTTP layer to attach the
 * error code it answered with (`settle`): the engine finishes its record in the same turn as it
 * throws, so the row and its metric carry the code without the engine knowing about HTTP.
 */
export class RequestOutcomes {
  /** The request log the engine writes to. */
  readonly store: RequestLogStore;
  /** The observer the engine reports attempts and finished requests to. */
  readonly observer: EngineObserver;
  private readonly held = new Map<string, Held>();
  private readonly finished: ((record: RequestLogRecord) => void)[] = [];
  private releaseScheduled = false;

  constructor(
    private readonly log: RequestLogStore,
    private readonly metrics: GatewayMetrics,
  ) {
    this.store = {
      append: (record) => {
        for (const listener of this.finished) listener(record);
        if (this.waitsForCode(record)) this.hold(record).append = true;
        else log.append(record);
      },
      flush: async () => {
        this.releaseAll();
        await log.flush();
      },
      appendShadow: (record) => log.appendShadow(record),
      appendFeedback: (records) => log.appendFeedback(records),
      list: (query) => log.list(query),
      findRequest: (id) => {
        this.releaseAll();
        return log.findRequest(id);
      },
      findEpisode: (episodeId) => {
        this.releaseAll();
        return log.findEpisode(episodeId);
      },
      listFeedback: (query) => log.listFeedback(query),
      feedbackSummary: (query) => log.feedbackSummary(query),
      listShadow: (query) => log.listShadow(query),
      shadowSummary: (query) => log.shadowSummary(query),
      exchanges: (query) => log.exchanges(query),
      count: () => log.count(),
      costSummary: (query) => log.costSummary(query),
      close: async () => {
        this.releaseAll();
        await log.close();
      },
    };
    this.observer = {
      onAttempt: (attempt) => metrics.onAttempt(attempt),
      onRequestEnd: (record) => {
        if (this.waitsForCode(record)) this.hold(record).count = true;
        else metrics.onRequestEnd(record);
      },
    };
  }

  /**
   * The HTTP layer answered request `id` with `error`: its engine record (if any) takes the
   * error's code and is written now. Returns the record, for the answer's headers.
   */
  settle(id: string, error: RightsizeError): RequestLogRecord | undefined {
    const held = this.held.get(id);
    if (!held) return undefined;
    if (error.code) held.record.errorCode = error.code;
    this.release(held);
    return held.record;
  }

  /** Calls `listener` with the final record of every request the engine ran (e.g. to settle its limits). */
  onEngineRecord(listener: (record: RequestLogRecord) => void): void {
    this.finished.push(listener);
  }

  /** Logs and counts a request the HTTP layer rejected without the engine. */
  reject(record: RequestLogRecord): void {
    this.log.append(record);
    this.metrics.onRejected(record);
  }

  private waitsForCode(record: RequestLogRecord): boolean {
    return record.status >= 400 && record.errorCode === undefined;
  }

  private hold(record: RequestLogRecord): Held {
    let held = this.held.get(record.id);
    if (held?.record !== record) {
      if (held) this.release(held);
      held = { record, append: false, count: false };
      this.held.set(record.id, held);
    }
    if (!this.releaseScheduled) {
      this.releaseScheduled = true;
      setImmediate(() => this.releaseAll());
    }
    return held;
  }

  private release(held: Held): void {
    if (this.held.get(held.record.id) === held) this.held.delete(held.record.id);
    if (held.append) this.log.append(held.record);
    if (held.count) this.metrics.onRequestEnd(held.record);
    held.append = false;
    held.count = false;
  }

  private releaseAll(): void {
    this.releaseScheduled = false;
    for (const held of [...this.held.values()]) this.release(held);
  }
}
