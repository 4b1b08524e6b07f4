import type { Worker } from "node:worker_threads";
import type { RequestLogStoreOptions } from "../request-log-options.js";
import { defaultOnError } from "../request-log-options.js";
import { RequestLogOpenError } from "../request-log-open-error.js";
import type { FeedbackQuery, FeedbackRecord, FeedbackSummary } from "../feedback-record.js";
import type { ExchangeQuery, LoggedExchange } from "../request-log-store.js";
import type { CostSummary, EpisodeInfo, RequestLogQuery, RequestLogRecord, RequestLogStore } from "../request-log-store.js";
import type { ShadowQuery, ShadowRecord, ShadowSummary } from "../shadow-record.js";
import { readExchangePages } from "../read-exchange-pages.js";
import { spawnSqliteWorker } from "./spawn-sqlite-worker.js";
import type { FromWorker, QueryArgs, QueryOp, QueryResult, ToWorker } from "./sqlite-worker-protocol.js";

export interface SqliteRequestLogStoreOptions extends RequestLogStoreOptions {
  /** Longest a record waits in the main thread before its batch is posted (default 20 ms). */
  batchMs?: number;
  /** A batch this large is posted at once (default 256). */
  maxBatch?: number;
  /**
   * Records allowed to wait for the worker (default 100,000); beyond that, appends are dropped
   * and the count reported through onError, so a stuck disk cannot exhaust memory.
   */
  maxBacklog?: number;
  /** Told when the worker starts and finishes writing a batch (metrics, tests). */
  onBatch?: (event: { phase: "start" | "done"; size: number; failed: number }) => void;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * The SQLite request log. The main thread only queues: `append` pushes to an array and a
 * timer posts batches to a worker thread that owns the database connection. `flush` resolves
 * once every record appended before it has been written (or reported through `onError`).
 */
export class SqliteRequestLogStore implements RequestLogStore {
  private queue: RequestLogRecord[] = [];
  private shadows: ShadowRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, Pending>();
  private dead: Error | undefined;
  private dropped = 0;
  private closing: Promise<void> | undefined;
  private readonly onError: (error: Error) => void;

  private constructor(
    readonly file: string,
    private readonly worker: Worker,
    private readonly options: SqliteRequestLogStoreOptions,
  ) {
    const onError = options.onError ?? defaultOnError;
    this.onError = (error) => {
      try {
        onError(error);
      } catch {
        // a failing error handler must not take the gateway down
      }
    };
    worker.on("message", (message: FromWorker) => this.receive(message));
    worker.on("error", (error) => this.fail(new Error(`request log worker failed: ${error.message}`)));
    worker.on("exit", () => this.fail(new Error("request log worker exited")));
    worker.unref();
  }

  /** Opens (creating and migrating) the log at `file`; throws `RequestLogOpenError` when it cannot. */
  static async open(file: string, options: SqliteRequestLogStoreOptions = {}): Promise<SqliteRequestLogStore> {
    const worker = spawnSqliteWorker({
      file,
      secrets: [...(options.secrets ?? [])],
      logContent: options.logContent ?? true,
      redact: {
        extraPatterns: (options.redact?.extraPatterns ?? []).map((p) => (typeof p === "string" ? p : regexSource(p))),
        pii: typeof options.redact?.pii === "object" ? [...options.redact.pii] : (options.redact?.pii ?? false),
      },
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        cleanup();
        if (message.type === "ready") resolve();
        else
          reject(
            new RequestLogOpenError(
              file,
              message.type === "open-error" ? message.message.replace(`${file}: `, "") : "unexpected worker message",
            ),
          );
      };
      const onError = (error: Error) => {
        cleanup();
        reject(new RequestLogOpenError(file, `request log worker failed to start: ${error.message}`));
      };
      const onExit = () => {
        cleanup();
        reject(new RequestLogOpenError(file, "request log worker exited during start"));
      };
      const cleanup = () => worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    });
    return new SqliteRequestLogStore(file, worker, options);
  }

  /** Records appended but not yet written. */
  get backlog(): number {
    return this.queue.length + this.shadows.length + this.inFlight;
  }

  append(record: RequestLogRecord): void {
    if (this.closing || this.dead) {
      this.onError(new Error(`request log ${this.closing ? "is closed" : "is unavailable"}; request ${record.id} was not logged`));
      return;
    }
    if (this.backlog >= (this.options.maxBacklog ?? 100_000)) {
      this.dropped += 1;
      return;
    }
    this.queue.push(record);
    this.schedule();
  }

  appendShadow(record: ShadowRecord): void {
    if (this.closing || this.dead) {
      this.onError(new Error(`request log ${this.closing ? "is closed" : "is unavailable"}; shadow judgment ${record.id} was not logged`));
      return;
    }
    if (this.backlog >= (this.options.maxBacklog ?? 100_000)) {
      this.dropped += 1;
      return;
    }
    this.shadows.push(record);
    this.schedule();
  }

  async appendFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    if (this.closing) throw new Error("request log is closed; the feedback was not stored");
    this.post();
    await this.request({ type: "feedback", id: 0, records: [...records] });
  }

  private schedule(): void {
    if (this.queue.length + this.shadows.length >= (this.options.maxBatch ?? 256)) this.post();
    else this.timer ??= setTimeout(() => this.post(), this.options.batchMs ?? 20);
  }

  async flush(): Promise<void> {
    this.post();
    await this.request({ type: "barrier", id: 0 }).catch(() => undefined);
  }

  list(query: RequestLogQuery = {}): Promise<RequestLogRecord[]> {
    return this.query("list", query);
  }

  findRequest(id: string): Promise<RequestLogRecord | undefined> {
    return this.query("findRequest", id);
  }

  findEpisode(episodeId: string): Promise<EpisodeInfo | undefined> {
    return this.query("findEpisode", episodeId);
  }

  listFeedback(query: FeedbackQuery = {}): Promise<FeedbackRecord[]> {
    return this.query("listFeedback", query);
  }

  feedbackSummary(query: RequestLogQuery = {}): Promise<FeedbackSummary> {
    return this.query("feedbackSummary", query);
  }

  listShadow(query: ShadowQuery = {}): Promise<ShadowRecord[]> {
    return this.query("listShadow", query);
  }

  shadowSummary(query: RequestLogQuery = {}): Promise<ShadowSummary> {
    return this.query("shadowSummary", query);
  }

  exchanges(query: ExchangeQuery = {}): AsyncIterable<LoggedExchange> {
    return readExchangePages(query, (cursor, limit) => this.query("exchangePage", query, cursor, limit));
  }

  count(): Promise<number> {
    return this.query("count");
  }

  costSummary(query: RequestLogQuery = {}): Promise<CostSummary> {
    return this.query("costSummary", query);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush();
      if (this.dead) return;
      const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
      this.worker.ref();
      this.send({ type: "close" });
      await exited;
    })();
    return this.closing;
  }

  private query<Op extends QueryOp>(op: Op, ...args: QueryArgs<Op>): Promise<QueryResult<Op>> {
    this.post(); // read your own writes: queued records go first
    return this.request({ type: "query", id: 0, op, args }) as Promise<QueryResult<Op>>;
  }

  private post(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if ((this.queue.length === 0 && this.shadows.length === 0) || this.dead) return;
    const records = this.queue;
    const shadows = this.shadows;
    this.queue = [];
    this.shadows = [];
    this.inFlight += records.length + shadows.length;
    this.worker.ref();
    this.send({ type: "write", batch: this.nextId++, records, shadows });
  }

  private request(message: Extract<ToWorker, { id: number }>): Promise<unknown> {
    if (this.dead) return Promise.reject(this.closing ? new Error("request log is closed") : this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.send({ ...message, id });
    });
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case "writing":
        this.options.onBatch?.({ phase: "start", size: message.size, failed: 0 });
        return;
      case "written":
        this.inFlight -= message.size + message.shadowCount;
        for (const failure of message.failed) {
          this.onError(new Error(`request ${failure.id} was not logged: ${failure.message}`));
        }
        for (const failure of message.shadowFailed) {
          this.onError(new Error(`shadow judgment ${failure.id} was not logged: ${failure.message}`));
        }
        if (this.dropped > 0) {
          this.onError(new Error(`request log backlog full; ${this.dropped} request records were not logged`));
          this.dropped = 0;
        }
        this.options.onBatch?.({ phase: "done", size: message.size, failed: message.failed.length });
        break;
      case "barrier":
      case "reply":
      case "reply-error": {
        const pending = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.type === "reply-error") pending?.reject(new Error(message.message));
        else pending?.resolve(message.type === "reply" ? message.value : undefined);
        break;
      }
      default:
        return;
    }
    if (this.inFlight === 0 && this.waiting.size === 0) this.worker.unref();
  }

  private fail(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    clearTimeout(this.timer);
    const lost = this.queue.length + this.shadows.length + this.inFlight;
    this.queue = [];
    this.shadows = [];
    this.inFlight = 0;
    const expected = this.closing !== undefined && lost === 0 && this.waiting.size === 0;
    if (!expected) this.onError(lost ? new Error(`${error.message}; ${lost} request records were not logged`) : error);
    for (const pending of this.waiting.values()) pending.reject(error);
    this.waiting.clear();
  }
}

/** A RegExp as a config-style source the worker can rebuild (flags other than i are not needed: matching is global). */
function regexSource(pattern: RegExp): string {
  return pattern.flags.includes("i") ? `(?i)${pattern.source}` : pattern.source;
}
