import type { Pool } from "pg";
import type { RequestLogRecord } from "../request-log-store.js";
import { classifyPostgresError, describePostgresError } from "./classify-postgres-error.js";
import { insertRequestLogBatch } from "./insert-request-log-batch.js";
import { migratePostgres } from "./migrate-postgres.js";
import { withPostgresClient } from "./open-postgres-pool.js";
import { PostgresSchemaError } from "./postgres-schema-error.js";

export interface PostgresLogWriterOptions {
  schema: string;
  /** The writer's own pool (one connection: batches are written one after another, in order). */
  pool: Pool;
  /** A pool without statement timeout, for migrations (an index on a large table takes its time). */
  migrationPool: Pool;
  retryMinMs: number;
  retryMaxMs: number;
  /** Told when PostgreSQL goes down (with why) or comes back. */
  onChange: (up: boolean, error?: Error) => void;
  /** A record PostgreSQL refused on its own (its data): it is not retried. */
  onRefused: (record: RequestLogRecord, error: Error) => void;
}

/** What became of a batch. `unavailable`: nothing past `written` was stored; the caller keeps the rest. */
export type WriteOutcome =
  | { ok: true; duplicates: string[]; refused: number }
  | { ok: false; written: number; duplicates: string[]; refused: number };

/**
 * Writes batches to PostgreSQL and knows whether it is reachable. After a failure it probes with
 * exponential backoff (and jitter), migrating first when the schema was lost, and reports the
 * way back through `onChange`. A batch refused for its data is retried row by row so that only
 * the bad rows are lost.
 */
export class PostgresLogWriter {
  private upValue = false;
  private migrated = false;
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private reconnectCount = 0;
  private lastErrorValue: string | null = null;

  constructor(private readonly options: PostgresLogWriterOptions) {
    this.retryDelay = options.retryMinMs;
  }

  get up(): boolean {
    return this.upValue;
  }

  get reconnects(): number {
    return this.reconnectCount;
  }

  get lastError(): string | null {
    return this.lastErrorValue;
  }

  /** Connects and migrates. Throws for what retrying cannot fix (schema not ours, authentication, no such database). */
  async start(): Promise<void> {
    try {
      await this.migrate();
      this.upValue = true;
    } catch (error) {
      if (error instanceof PostgresSchemaError || classifyPostgresError(error) === "rejected") throw error;
      this.goDown(error);
    }
  }

  async write(records: readonly RequestLogRecord[]): Promise<WriteOutcome> {
    try {
      return { ok: true, duplicates: await this.insert(records), refused: 0 };
    } catch (error) {
      if (classifyPostgresError(error) !== "data") {
        this.goDown(error);
        return { ok: false, written: 0, duplicates: [], refused: 0 };
      }
      return this.writeOneByOne(records);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private async writeOneByOne(records: readonly RequestLogRecord[]): Promise<WriteOutcome> {
    const duplicates: string[] = [];
    let refused = 0;
    for (const [i, record] of records.entries()) {
      try {
        duplicates.push(...(await this.insert([record])));
      } catch (error) {
        if (classifyPostgresError(error) !== "data") {
          this.goDown(error);
          return { ok: false, written: i, duplicates, refused };
        }
        refused += 1;
        this.options.onRefused(record, new Error(describePostgresError(error)));
      }
    }
    return { ok: true, duplicates, refused };
  }

  private insert(records: readonly RequestLogRecord[]): Promise<string[]> {
    // A timed-out or broken connection is destroyed, not reused.
    return withPostgresClient(this.options.pool, (client) => insertRequestLogBatch(client, this.options.schema, records));
  }

  private async migrate(): Promise<void> {
    await withPostgresClient(this.options.migrationPool, (client) => migratePostgres(client, this.options.schema));
    this.migrated = true;
  }

  private goDown(error: unknown): void {
    if (classifyPostgresError(error) === "schema") this.migrated = false;
    this.lastErrorValue = describePostgresError(error);
    if (this.upValue) {
      this.upValue = false;
      this.options.onChange(false, new Error(this.lastErrorValue));
    } else if (this.retryTimer === undefined) {
      this.options.onChange(false, new Error(this.lastErrorValue));
    }
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    const delay = this.retryDelay * (0.75 + Math.random() * 0.5);
    this.retryDelay = Math.min(this.retryDelay * 2, this.options.retryMaxMs);
    this.retryTimer = setTimeout(() => void this.probe(), delay);
    this.retryTimer.unref();
  }

  private async probe(): Promise<void> {
    try {
      if (this.migrated) await withPostgresClient(this.options.pool, (client) => client.query("SELECT 1"));
      else await this.migrate();
    } catch (error) {
      this.retryTimer = undefined;
      this.lastErrorValue = describePostgresError(error);
      this.scheduleProbe();
      return;
    }
    this.retryTimer = undefined;
    if (this.stopped) return;
    this.retryDelay = this.options.retryMinMs;
    this.upValue = true;
    this.reconnectCount += 1;
    this.options.onChange(true);
  }
}
