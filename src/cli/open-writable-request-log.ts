import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RedactConfig } from "../config/storage-config-schema.js";
import { openRequestLogReader } from "../storage/open-request-log-reader.js";
import type { RequestLogLocation } from "../storage/request-log-location.js";
import { RequestLogOpenError } from "../storage/request-log-open-error.js";
import type { RequestLogStore } from "../storage/request-log-store.js";
import { CliError } from "./cli-error.js";

/**
 * Opens an existing request log for writing from the CLI (e.g. `rightsize feedback import`):
 * never creates one (a missing log is a CliError, as for reading). A SQLite log is written beside
 * a running gateway (WAL); a PostgreSQL one through its own pool.
 */
export async function openWritableRequestLog(location: RequestLogLocation, redact?: RedactConfig): Promise<RequestLogStore> {
  try {
    const reader = await openRequestLogReader(location);
    await reader.close();
    const errors: Error[] = [];
    const options = { redact, onError: (error: Error) => errors.push(error) };
    if (location.kind === "postgres") {
      const { PostgresRequestLogStore } = await import("../storage/postgres/postgres-request-log-store.js");
      // Feedback is written directly (never spooled); the store still wants a spool folder: a scratch one, removed on close.
      const spoolDir = mkdtempSync(join(tmpdir(), "rightsize-cli-spool-"));
      const store = await PostgresRequestLogStore.open({ ...options, url: location.url, schema: location.schema, spoolDir });
      const close = store.close.bind(store);
      store.close = async () => {
        await close();
        rmSync(spoolDir, { recursive: true, force: true });
      };
      return store;
    }
    const { SqliteRequestLogStore } = await import("../storage/sqlite/sqlite-request-log-store.js");
    return await SqliteRequestLogStore.open(location.file, options);
  } catch (error) {
    if (error instanceof RequestLogOpenError) throw new CliError(error.message);
    throw error;
  }
}
