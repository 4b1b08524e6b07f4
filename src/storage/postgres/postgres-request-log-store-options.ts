import type { RequestLogStoreOptions } from "../request-log-options.js";

export interface PostgresRequestLogStoreOptions extends RequestLogStoreOptions {
  /** postgres://user:password@host:5432/database */
  url: string;
  /** Schema of the tables (default "rightsize"); created by the migrations. */
  schema?: string;
  /** Folder of the spool (several gateways may share one: each takes its own slot). */
  spoolDir: string;
  /** Spool size limit in bytes (default 1 GiB). */
  maxSpoolBytes?: number;
  /** Rows per insert (default 1000). */
  batchSize?: number;
  /** Longest a row waits before its batch is written (default 20 ms). */
  batchMs?: number;
  /** Batches written at once (default 2): the next batch is encoded and sent while one is on the server. */
  writers?: number;
  /** Rows held in memory before they spill to the spool (default 20,000). */
  maxQueue?: number;
  /** A batch insert slower than this fails and its rows go to the spool (default 10 s). */
  writeTimeoutMs?: number;
  /** Reconnect backoff after a failure: first delay, doubling up to the maximum (defaults 250 ms, 10 s). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Read connections (default 4). */
  poolSize?: number;
  /**
   * Write every row to the spool synchronously in `append` (default false), so it survives a
   * SIGKILL once the gateway has answered; PostgreSQL then takes the rows from the spool in batches.
   */
  durable?: boolean;
}

/** The store's state, for /metrics and the log. */
export interface PostgresLogStatus {
  postgres: "up" | "down";
  /** Rows held only in memory (queued, or in a batch being written), not yet in PostgreSQL or the spool. */
  queued: number;
  /** Bytes and rows in the spool, not yet replayed. */
  spoolBytes: number;
  spoolRecords: number;
  spoolFile: string;
  /** Rows inserted directly since the store opened. */
  written: number;
  /** Rows inserted from the spool. */
  replayed: number;
  /** Rows skipped because their request id was already stored. */
  duplicates: number;
  /** Rows lost: the spool was full, or PostgreSQL refused the row itself. */
  dropped: number;
  /** Times PostgreSQL came back after a failure. */
  reconnects: number;
  lastError: string | null;
}

export function withPostgresDefaults(options: PostgresRequestLogStoreOptions) {
  return {
    ...options,
    schema: options.schema ?? "rightsize",
    maxSpoolBytes: options.maxSpoolBytes ?? 1024 * 1024 * 1024,
    batchSize: options.batchSize ?? 1000,
    batchMs: options.batchMs ?? 20,
    writers: options.writers ?? 2,
    maxQueue: options.maxQueue ?? 20_000,
    writeTimeoutMs: options.writeTimeoutMs ?? 10_000,
    durable: options.durable ?? false,
    retryMinMs: options.retryMinMs ?? 250,
    retryMaxMs: options.retryMaxMs ?? 10_000,
    poolSize: options.poolSize ?? 4,
  };
}
