import type { RequestLogLocation } from "./request-log-location.js";
import type { RequestLogReader } from "./request-log-store.js";

/**
 * Opens a request log for reading, wherever it lives (the drivers load only when needed).
 * Throws `RequestLogOpenError` for a log that is missing, foreign or too new.
 */
export async function openRequestLogReader(location: RequestLogLocation): Promise<RequestLogReader> {
  if (location.kind === "postgres") {
    const { openPostgresRequestLogReader } = await import("./postgres/postgres-request-log-reader.js");
    return openPostgresRequestLogReader(location.url, location.schema);
  }
  const { openRequestLogReader: openSqlite } = await import("./sqlite/sqlite-request-log-reader.js");
  return openSqlite(location.file);
}
