import type { Pool } from "pg";
import { describeDatabaseUrl } from "../describe-database-url.js";
import { defaultOnError } from "../request-log-options.js";
import { RequestLogOpenError } from "../request-log-open-error.js";
import type { CostSummary, RequestLogQuery, RequestLogRecord, RequestLogStore } from "../request-log-store.js";
import { createRecordSanitizer } from "../sanitize-record.js";
import { RequestLogSpool } from "../spool/request-log-spool.js";
import { createPostgresPool, loadPg } from "./open-postgres-pool.js";
import { PostgresLogWriter } from "./postgres-log-writer.js";
import { PostgresRequestLogQueries } from "./postgres-request-log-queries.js";
import type { PostgresLogStatus, PostgresRequestLogStoreOptions } from "./postgres-request-log-store-options.js";
import { withPostgresDefaults } from "./postgres-request-log-store-options.js";

type Settings = ReturnType<typeof withPostgresDefaults>;

/**
 * The request log in PostgreSQL, shared by any number of gateways. `append` only pushes to an
 * in-memory queue; batches are written off the request path by one writer connection as
 * multi-row inserts. While PostgreSQL is down or slow, rows go to a local spool file (bounded)
 * and are replayed in order once it answers again; every insert is idempotent on the request id,
 * so a row replayed after a crash is never stored twice. Rows still in memory when the process
 * exits are written to the spool by an exit handler and replayed on the next start.
 */
export class PostgresRequestLogStore implements RequestLogStore {
  private queue: RequestLogRecord[] = [];
  /** The batch being written directly (sanitized); still ours until the insert settles. */
  private inFlight: RequestLogRecord[] = [];
  private inFlightSpooled = false;
  private nextSeq = 1;
  private queueStart = 1;
  private inFlightStart = 1;
  private waiters: { target: number; resolve: () => void }[] = [];
  private changeWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly counts = { written: 0, replayed: 0, duplicates: 0, dropped: 0 };
  private readonly sanitize: (record: RequestLogRecord) => RequestLogRecord;
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
    private readonly pools: Pool[],
    readerPool: Pool,
    writerPool: Pool,
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
    this.queries = new PostgresRequestLogQueries(readerPool, settings.schema);
    this.writer = new PostgresLogWriter({
      schema: settings.schema,
      pool: writerPool,
      migrationPool: readerPool,
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
    const where = describeDatabaseUrl(settings.url);
    const pg = await loadPg(settings.url);
    let spool: RequestLogSpool;
    try {
      spool = RequestLogSpool.open(settings.spoolDir, { maxBytes: settings.maxSpoolBytes, onError: settings.onError ?? defaultOnError });
    } catch (error) {
      throw new RequestLogOpenError(settings.spoolDir, `cannot be used as the request log spool: ${(error as Error).message}`);
    }
    const onPoolError = (error: Error) => (settings.onError ?? defaultOnError)(new Error(`PostgreSQL connection: ${error.message}`));
    const readerPool = createPostgresPool(pg, { url: settings.url, max: settings.poolSize, onError: onPoolError });
    const writerPool = createPostgresPool(pg, { url: settings.url, max: 1, queryTimeoutMs: settings.writeTimeoutMs, onError: onPoolError });
    const store = new PostgresRequestLogStore(settings, spool, [readerPool, writerPool], readerPool, writerPool);
    try {
      await store.writer.start();
    } catch (error) {
      await store.shutDown();
      throw new RequestLogOpenError(where, (error as Error).message);
    }
    if (store.spool.records > 0 && store.writer.up) store.kick();
    return store;
  }

  /** Where rows are and what happened to them: for /metrics and the log. */
  status(): PostgresLogStatus {
    return {
      postgres: this.writer.up ? "up" : "down",
      queued: this.queue.length + this.inFlight.length,
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
    if (this.queue.length + this.inFlight.length >= this.settings.maxQueue) this.spillAll();
    this.queue.push(record);
    this.nextSeq += 1;
    if (this.queue.length >= this.settings.batchSize) this.kick();
    else if (!this.timer && !this.running) this.timer = setTimeout(() => this.kick(), this.settings.batchMs);
  }

  /** Resolves once every record appended before it is in PostgreSQL or in the spool (or reported lost). */
  flush(): Promise<void> {
    const target = this.nextSeq - 1;
    if (this.oldestUnsettled() > target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.kick();
    return done;
  }

  /**
   * Resolves once everything appended and spooled so far is in PostgreSQL, waiting through an
   * outage if need be (tests, and a shutdown that wants the spool empty).
   */
  async drained(): Promise<void> {
    for (;;) {
      if (this.queue.length + this.inFlight.length + this.spool.records === 0 && !this.running) return;
      if (this.closing) throw new Error("request log is closing; the rest stays in the spool");
      if (!this.writer.up) {
        await new Promise<void>((resolve) => this.changeWaiters.push(resolve));
        continue;
      }
      if (!this.running) this.kick();
      await this.running;
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
      clearTimeout(this.timer);
      await this.flush();
      await this.running;
      await this.shutDown();
    })();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.writer.stop();
    process.off("exit", this.onExit);
    this.spillAll();
    this.spool.close();
    await Promise.all(this.pools.map((pool) => pool.end().catch(() => undefined)));
  }

  private onWriterChange(up: boolean, error?: Error): void {
    const pending = this.spool.records + this.queue.length + this.inFlight.length;
    if (up) {
      this.report(new Error(`PostgreSQL answers again; replaying ${this.spool.records} spooled rows`));
      this.kick();
    } else {
      this.report(new Error(`PostgreSQL is unavailable (${error?.message}); ${pending} rows go to the spool ${this.spool.file}`));
    }
    for (const resolve of this.changeWaiters.splice(0)) resolve();
  }

  private oldestUnsettled(): number {
    return this.inFlight.length > 0 && !this.inFlightSpooled ? this.inFlightStart : this.queueStart;
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      this.settleWaiters();
      // Rows appended while this run was finishing: write them (or, while PostgreSQL is down, spool them).
      if (this.queue.length > 0) this.kick();
    });
  }

  private async run(): Promise<void> {
    for (;;) {
      if (!this.writer.up) {
        this.spillAll();
        return;
      }
      if (this.spool.records > 0) {
        this.spillAll();
        if (this.closing || !(await this.replayChunk())) return;
        continue;
      }
      if (this.queue.length === 0) return;
      await this.writeBatch();
      this.settleWaiters();
    }
  }

  private async writeBatch(): Promise<void> {
    const taken = this.queue.splice(0, this.settings.batchSize);
    this.inFlightStart = this.queueStart;
    this.queueStart += taken.length;
    this.inFlight = this.uniqueById(taken.map(this.sanitize), true);
    this.inFlightSpooled = false;
    const batch = this.inFlight;
    const outcome = await this.writer.write(batch);
    this.noteDuplicates(outcome.duplicates, true);
    const written = outcome.ok ? batch.length : outcome.written;
    this.counts.written += written - outcome.duplicates.length - outcome.refused;
    if (!outcome.ok && !this.inFlightSpooled) this.toSpool(batch.slice(written));
    this.inFlight = [];
    this.inFlightSpooled = false;
  }

  private async replayChunk(): Promise<boolean> {
    const chunk = this.spool.peek(this.settings.batchSize);
    const records = this.uniqueById(chunk.records, false);
    const outcome = records.length > 0 ? await this.writer.write(records) : { ok: true as const, duplicates: [], refused: 0 };
    if (!outcome.ok) return false;
    this.spool.consume(chunk);
    this.noteDuplicates(outcome.duplicates, false);
    this.counts.replayed += records.length - outcome.duplicates.length - outcome.refused;
    return true;
  }

  /** Moves everything held in memory to the spool (synchronously: also used by the exit handler). */
  private spillAll(): void {
    const pending: RequestLogRecord[] = [];
    if (this.inFlight.length > 0 && !this.inFlightSpooled) {
      pending.push(...this.inFlight);
      this.inFlightSpooled = true;
    }
    if (this.queue.length > 0) {
      pending.push(...this.uniqueById(this.queue.map(this.sanitize), true));
      this.queueStart += this.queue.length;
      this.queue = [];
    }
    if (pending.length > 0) this.toSpool(pending);
    this.settleWaiters();
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

  /** Keeps the first record of each id; later ones are reported (a direct write) or counted (a replay). */
  private uniqueById(records: RequestLogRecord[], reportDuplicates: boolean): RequestLogRecord[] {
    const seen = new Set<string>();
    const unique: RequestLogRecord[] = [];
    const duplicates: string[] = [];
    for (const record of records) {
      if (seen.has(record.id)) duplicates.push(record.id);
      else {
        seen.add(record.id);
        unique.push(record);
      }
    }
    this.noteDuplicates(duplicates, reportDuplicates);
    return unique;
  }

  private noteDuplicates(ids: string[], report: boolean): void {
    if (ids.length === 0) return;
    this.counts.duplicates += ids.length;
    if (report) {
      const shown = ids.slice(0, 5).join(", ") + (ids.length > 5 ? `, … (${ids.length})` : "");
      this.report(new Error(`duplicate request id ${shown}; the later record was not logged`));
    }
  }

  private settleWaiters(): void {
    const oldest = this.oldestUnsettled();
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.target >= oldest) return true;
      waiter.resolve();
      return false;
    });
  }
}
