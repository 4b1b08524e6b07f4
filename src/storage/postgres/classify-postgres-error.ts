/**
 * What a failed PostgreSQL call means for the writer:
 * - `unavailable`: the server is down, restarting, overloaded, slow or unreachable — keep the rows
 *   (spool) and retry later;
 * - `schema`: the tables are gone (dropped schema) — migrate again, then retry;
 * - `rejected`: the server refused this configuration (authentication, missing database,
 *   permissions) — fatal at start, retried with backoff later;
 * - `data`: the rows themselves were refused (a value out of range) — retried one by one so only
 *   the bad row is lost.
 */
export type PostgresFailure = "unavailable" | "schema" | "rejected" | "data";

const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

export function classifyPostgresError(error: unknown): PostgresFailure {
  const code = codeOf(error);
  if (code !== undefined) {
    if (SOCKET_CODES.has(code)) return "unavailable";
    if (code === "42P01" || code === "3F000") return "schema";
    if (code.startsWith("28") || code === "3D000" || code === "42501") return "rejected";
    if (code.startsWith("22") || code.startsWith("23") || code.startsWith("54")) return "data";
    return "unavailable";
  }
  return "unavailable";
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") return error.code;
  return undefined;
}

/** An error's message with its SQLSTATE, for reports. */
export function describePostgresError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
