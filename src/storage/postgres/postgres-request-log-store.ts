import { describeDatabaseUrl } from "../describe-database-url.js";
import { defaultOnError } from "../request-log-options.js";
import { RequestLogOpenError } from "../request-log-open-error.js";
import type { FeedbackQuery, FeedbackRecord, FeedbackSummary } from "../feedback-record.js";
import type { ExchangeQuery, LoggedExchange } from "../request-log-store.js";
import { readExchangePages } from "../read-exchange-pages.js";
import type { CostSummary, EpisodeInfo, RequestLogQuery, RequestLogRecord, RequestLogStore } from "../request-log-store.js";
import { createFeedbackSanitizer, createRecordSanitizer, createShadowSanitizer } from "../sanitize-record.js";
import type { ShadowQuery, ShadowRecord, ShadowSummary } from "../shadow-record.js";
import { insertFeedbackRows } from "./insert-feedback-rows.js";
import { RequestLogSpool } from "../spool/request-log-spool.js";
import { firstById } from "./first-by-id.js";
import { loadPg } from "./open-postgres-pool.js";
import { openStorePools, type StorePools } from "./open-store-pools.js";
import type { WriteOutcome } from "./postgres-log-writer.js";
import { PostgresLogWriter } from "./postgres-log-writer.js";
import { PostgresRequestLogQueries } from "./postgres-request-log-queries.js";
import { PostgresShadowWriter } from "./postgres-shadow-writer.js";
import type { PostgresLogStatus, PostgresRequestLogStoreOptions } from "./postgres-request-log-store-options.js";
import { withPostgresDefaults } from "./postgres-request-log-store-options.js";

type Settings = ReturnType<typeof withPostgresDefaults>;

/** A batch being written directly: its rows stay ours (for the spool) until the insert settles. */
interface Batch {
  /** Append number of its first record (for flush). */
  start: number;
  records: RequestLogRecord[];
  /** Already copied to the spool (the process is exiting, or PostgreSQL went down meanwhile). */
  spooled: boolean;
}

/**
 * The request log in PostgreSQL, shared by any number of gateways. `append` only pushes to an
 * in-memory queue; batches are written off the request path as multi-row inserts, up to
 * `writers` at a time. While PostgreSQL is down or slow, rows go to a local spool file
 * (bounded) and are replayed in order, one batch at a time, once it answers again; every insert
 * is idempotent on the request id, so a row replayed after a crash is never stored twice. Rows
 * still in memory when the process exits are written to the spool by an exit handler and
 * replayed on the next start.
 */
export class PostgresRequestLogStore implements RequestLogStore {
  private queue: RequestLogRecord[] = [];
  private readonly inFlight = new Set<Batch>();
  private replaying = false;
  private nextSeq = 1;
  private queueStart = 1;
  private flushWaiters: { target: number; resolve: () => void }[] = [];
  private progressWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly counts = { written: 0, replayed: 0, duplicates: 0, dropped: 0 };
  private readonly sanitize: (record: RequestLogRecord) => RequestLogRecord;
  private readonly sanitizeFeedback: (record: FeedbackRecord) => FeedbackRecord;
  private readonly sanitizeShadow: (record: ShadowRecord) => ShadowRecord;
  /** Shadow judgments (best effort: not spooled). */
  private readonly shadows: PostgresShadowWriter;
  private readonly report: (error: Error) => void;
  private readonly queries: PostgresRequestLogQueries;
  private readonly writer: PostgresLogWriter;
  private readonly onExit = () => {
    this.spillAll();
    this.spool.close();
  };

  private constructor(
    private readonly settings: Settings,
    private readonly spool: RequestLogSpool,
    private readonly pools: StorePools,
  ) {
    const onError = settings.onError ?? defaultOnError;
    this.report = (error) => {
      try {
        onError(error);
      } catch {
        // a failing error handler must not take the gateway down
      }
    };
    this.sanitize = createRecordSanitizer(settings);
    this.sanitizeFeedback = createFeedbackSanitizer(settings);
    this.sanitizeShadow = createShadowSanitizer(settings);
    this.queries = new PostgresRequestLogQueries(pools.reader, settings.schema);
    this.shadows = new PostgresShadowWriter({
      pool: pools.writer,
      schema: settings.schema,
      batchSize: settings.batchSize,
      batchMs: settings.batchMs,
      maxQueue: settings.maxQueue,
      onDropped: (count, error) => {
        this.counts.dropped += count;
        if (error) this.report(error);
      },
    });
    this.writer = new PostgresLogWriter({
      schema: settings.schema,
      pool: pools.writer,
      migrationPool: pools.migration,
      retryMinMs: settings.retryMinMs,
      retryMaxMs: settings.retryMaxMs,
      onChange: (up, error) => this.onWriterChange(up, error),
      onRefused: (record, error) => {
        this.counts.dropped += 1;
        this.report(new Error(`request ${record.id} was not logged: PostgreSQL refused it: ${error.message}`));
      },
    });
    process.on("exit", this.onExit);
  }

  /**
   * Opens the store: takes a spool slot, connects and migrates. PostgreSQL being unreachable is
   * not fatal (rows spool until it answers, reported through onError); a schema that is not
   * rightsize's, failed authentication or a missing database throw `RequestLogOpenError`.
   */
  static async open(options: PostgresRequestLogStoreOptions): Promise<PostgresRequestLogStore> {
    const settings = withPostgresDefaults(options);
    // The driver loads (and a missing one is refused) before the spool slot is taken.
    await loadPg(settings.url);
    let spool: RequestLogSpool;
    try {
      spool = RequestLogSpool.open(settings.spoolDir, { maxBytes: settings.maxSpoolBytes, onError: settings.onError ?? defaultOnError });
    } catch (error) {
      throw new RequestLogOpenError(settings.spoolDir, `cannot be used as the request log spool: ${(error as Error).message}`);
    }
    const pools = await openStorePools({ ...settings, onError: settings.onError ?? defaultOnError });
    const store = new PostgresRequestLogStore(settings, spool, pools);
    try {
      await store.writer.start();
    } catch (error) {
      await store.shutDown();
      throw new RequestLogOpenError(describeDatabaseUrl(settings.url), (error as Error).message);
    }
    store.pump();
    return store;
  }

  /** Where rows are and what happened to them: for /metrics and the log. */
  status(): PostgresLogStatus {
    return {
      postgres: this.writer.up ? "up" : "down",
      queued: this.unsaved(),
      spoolBytes: this.spool.bytes,
      spoolRecords: this.spool.records,
      spoolFile: this.spool.file,
      ...this.counts,
      reconnects: this.writer.reconnects,
      lastError: this.writer.lastError,
    };
  }

  append(record: RequestLogRecord): void {
    if (this.closing) {
      this.report(new Error(`request log is closed; request ${record.id} was not logged`));
      return;
    }
    if (this.unsaved() >= this.settings.maxQueue) this.spillAll();
    this.queue.push(record);
    this.nextSeq += 1;
    if (this.settings.durable) {
      // On disk before the caller answers its client: a SIGKILL loses no answered request's row.
      this.spillAll();
      this.timer ??= setTimeout(() => this.pump(), this.settings.batchMs);
      return;
    }
    if (this.queue.length >= this.settings.batchSize) this.pump();
    else this.timer ??= setTimeout(() => this.pump(), this.settings.batchMs);
  }

  /** Queued for a batch of its own (see PostgresShadowWriter). */
  appendShadow(record: ShadowRecord): void {
    if (this.closing) {
      this.report(new Error(`request log is closed; shadow judgment ${record.id} was not logged`));
      return;
    }
    this.shadows.append(this.sanitizeShadow(record));
  }

  /** Writes the records in one statement (all or none); rejects when PostgreSQL does not take them. */
  async appendFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    if (this.closing) throw new Error("request log is closed; the feedback was not stored");
    await insertFeedbackRows(this.pools.reader, this.settings.schema, records.map(this.sanitizeFeedback));
  }

  async findRequest(id: string): Promise<RequestLogRecord | undefined> {
    await this.flush();
    return this.queries.findRequest(id);
  }

  async findEpisode(episodeId: string): Promise<EpisodeInfo | undefined> {
    await this.flush();
    return this.queries.findEpisode(episodeId);
  }

  listFeedback(query: FeedbackQuery = {}): Promise<FeedbackRecord[]> {
    return this.queries.listFeedback(query);
  }

  feedbackSummary(query: RequestLogQuery = {}): Promise<FeedbackSummary> {
    return this.queries.feedbackSummary(query);
  }

  async listShadow(query: ShadowQuery = {}): Promise<ShadowRecord[]> {
    await this.flush();
    return this.queries.listShadow(query);
  }

  async shadowSummary(query: RequestLogQuery = {}): Promise<ShadowSummary> {
    await this.flush();
    return this.queries.shadowSummary(query);
  }

  exchanges(query: ExchangeQuery = {}): AsyncIterable<LoggedExchange> {
    return readExchangePages(query, async (cursor, limit) => {
      if (cursor === undefined) await this.flush();
      return this.queries.exchangePage(query, cursor, limit);
    });
  }

  /** Resolves once every record appended before it is in PostgreSQL or in the spool (or reported lost). */
  async flush(): Promise<void> {
    await Promise.all([this.flushRequests(), this.shadows.flush()]);
  }

  private flushRequests(): Promise<void> {
    const target = this.nextSeq - 1;
    if (this.oldestUnsettled() > target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.flushWaiters.push({ target, resolve }));
    this.pump(true);
    return done;
  }

  /**
   * Resolves once everything appended and spooled so far is in PostgreSQL, waiting through an
   * outage if need be (tests, and a shutdown that wants the spool empty).
   */
  async drained(): Promise<void> {
    for (;;) {
      if (this.queue.length + this.inFlight.size + this.spool.records === 0 && !this.replaying) return;
      if (this.closing) throw new Error("request log is closing; the rest stays in the spool");
      const progress = new Promise<void>((resolve) => this.progressWaiters.push(resolve));
      this.pump(true);
      await progress;
    }
  }

  async list(query: RequestLogQuery = {}): Promise<RequestLogRecord[]> {
    await this.flush();
    return this.queries.list(query);
  }

  async count(): Promise<number> {
    await this.flush();
    return this.queries.count();
  }

  async costSummary(query: RequestLogQuery = {}): Promise<CostSummary> {
    await this.flush();
    return this.queries.costSummary(query);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush();
      while (this.inFlight.size > 0 || this.replaying) await new Promise<void>((resolve) => this.progressWaiters.push(resolve));
      await this.shutDown();
    })();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearTimeout(this.timer);
    await this.shadows.close();
    this.writer.stop();
    process.off("exit", this.onExit);
    this.spillAll();
    this.spool.close();
    await Promise.all(Object.values(this.pools).map((pool) => pool.end().catch(() => undefined)));
  }

  private onWriterChange(up: boolean, error?: Error): void {
    if (up) this.report(new Error(`PostgreSQL answers again; replaying ${this.spool.records} spooled rows`));
    else {
      const pending = this.spool.records + this.status().queued;
      this.report(new Error(`PostgreSQL is unavailable (${error?.message}); ${pending} rows go to the spool ${this.spool.file}`));
    }
    this.pump();
    this.progress();
  }

  /**
   * Starts what can start now: while PostgreSQL is down, everything goes to the spool; while the
   * spool holds rows, new ones queue behind them and the spool is replayed one batch at a time
   * (once no direct batch is in flight, so the order holds); otherwise batches are written, up
   * to `writers` at once, a partial batch only when nothing is in flight (or `now`, for a flush).
   */
  private pump(now = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.writer.up) {
      this.spillAll();
      return;
    }
    if (this.spool.records > 0 || this.replaying) {
      if (this.inFlight.size > 0 || this.replaying) return;
      this.spillAll();
      if (!this.closing) this.replay();
      return;
    }
    while (
      this.queue.length > 0 &&
      this.inFlight.size < this.settings.writers &&
      (this.queue.length >= this.settings.batchSize || this.inFlight.size === 0 || now)
    ) {
      this.startBatch();
    }
  }

  private startBatch(): void {
    const taken = this.queue.splice(0, this.settings.batchSize);
    const batch: Batch = { start: this.queueStart, records: this.unique(taken.map(this.sanitize), true), spooled: false };
    this.queueStart += taken.length;
    this.inFlight.add(batch);
    void this.writer
      .write(batch.records)
      .then((outcome) => this.finishBatch(batch, outcome))
      .catch((error: unknown) => this.report(new Error(`request log writer failed: ${(error as Error).message}`)));
  }

  private finishBatch(batch: Batch, outcome: WriteOutcome): void {
    this.inFlight.delete(batch);
    this.noteDuplicates(outcome.duplicates, true);
    const written = outcome.ok ? batch.records.length : outcome.written;
    this.counts.written += written - outcome.duplicates.length - outcome.refused;
    if (!outcome.ok && !batch.spooled) this.toSpool(batch.records.slice(written));
    this.settleFlushes();
    this.progress();
    this.pump();
  }

  private replay(): void {
    this.replaying = true;
    void this.replayChunk()
      .catch((error: unknown) => {
        this.report(new Error(`request log spool replay failed: ${(error as Error).message}`));
        return false;
      })
      .then((more) => {
        this.replaying = false;
        this.settleFlushes();
        this.progress();
        if (more) this.pump();
      });
  }

  /** Writes the spool's first batch; false when PostgreSQL failed (the rows stay in the spool). */
  private async replayChunk(): Promise<boolean> {
    const chunk = this.spool.peek(this.settings.batchSize);
    const records = this.unique(chunk.records, false);
    const outcome: WriteOutcome = records.length > 0 ? await this.writer.write(records) : { ok: true, duplicates: [], refused: 0 };
    if (!outcome.ok) return false;
    this.spool.consume(chunk);
    this.noteDuplicates(outcome.duplicates, false);
    this.counts.replayed += records.length - outcome.duplicates.length - outcome.refused;
    return true;
  }

  /** Moves everything held in memory to the spool (synchronously: also used by the exit handler). */
  private spillAll(): void {
    const pending: RequestLogRecord[] = [];
    for (const batch of this.inFlight) {
      if (batch.spooled) continue;
      pending.push(...batch.records);
      batch.spooled = true;
    }
    if (this.queue.length > 0) {
      pending.push(...this.unique(this.queue.map(this.sanitize), true));
      this.queueStart += this.queue.length;
      this.queue = [];
    }
    if (pending.length > 0) this.toSpool(pending);
    this.settleFlushes();
  }

  private toSpool(records: RequestLogRecord[]): void {
    const written = this.spool.append(records);
    const lost = records.length - written;
    if (lost > 0) {
      this.counts.dropped += lost;
      this.report(
        new Error(`request log spool ${this.spool.file} is full (${this.spool.bytes} bytes); ${lost} request records were not logged`),
      );
    }
  }

  /** The first record of each id; later ones are reported (new rows) or only counted (a replay). */
  private unique(records: RequestLogRecord[], report: boolean): RequestLogRecord[] {
    const { first, duplicates } = firstById(records);
    this.noteDuplicates(duplicates, report);
    return first;
  }

  private noteDuplicates(ids: string[], report: boolean): void {
    if (ids.length === 0) return;
    this.counts.duplicates += ids.length;
    if (report) {
      const shown = ids.slice(0, 5).join(", ") + (ids.length > 5 ? `, … (${ids.length})` : "");
      this.report(new Error(`duplicate request id ${shown}; the later record was not logged`));
    }
  }

  /** Rows held only in memory: queued, or in a batch in flight that is not also in the spool. */
  private unsaved(): number {
    let rows = this.queue.length;
    for (const batch of this.inFlight) if (!batch.spooled) rows += batch.records.length;
    return rows;
  }

  private oldestUnsettled(): number {
    let oldest = this.queueStart;
    for (const batch of this.inFlight) if (!batch.spooled && batch.start < oldest) oldest = batch.start;
    return oldest;
  }

  private settleFlushes(): void {
    const oldest = this.oldestUnsettled();
    this.flushWaiters = this.flushWaiters.filter((waiter) => {
      if (waiter.target >= oldest) return true;
      waiter.resolve();
      return false;
    });
  }

  private progress(): void {
    for (const resolve of this.progressWaiters.splice(0)) resolve();
  }
}
