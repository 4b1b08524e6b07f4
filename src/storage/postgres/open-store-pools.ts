import type { Pool } from "pg";
import { createPostgresPool, loadPg } from "./open-postgres-pool.js";

/** Reads give up after a minute (the CLI's and the store's alike). */
export const READ_TIMEOUT_MS = 60_000;

/** The PostgreSQL store's connections: reads, batch writes, and one for migrations. */
export interface StorePools {
  reader: Pool;
  writer: Pool;
  migration: Pool;
}

/**
 * Opens the store's pools: reads time out after `READ_TIMEOUT_MS`, writes after
 * `writeTimeoutMs`; migrations (an index on a large table) take the time they need.
 */
export async function openStorePools(settings: {
  url: string;
  poolSize: number;
  writers: number;
  writeTimeoutMs: number;
  onError: (error: Error) => void;
}): Promise<StorePools> {
  const pg = await loadPg(settings.url);
  const onError = (error: Error) => settings.onError(new Error(`PostgreSQL connection: ${error.message}`));
  const pool = (max: number, queryTimeoutMs?: number) => createPostgresPool(pg, { url: settings.url, max, queryTimeoutMs, onError });
  return {
    reader: pool(settings.poolSize, READ_TIMEOUT_MS),
    writer: pool(settings.writers, settings.writeTimeoutMs),
    migration: pool(1),
  };
}
