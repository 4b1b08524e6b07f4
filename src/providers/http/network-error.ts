import { ClientAbortError, ConnectionError, RightsizeError, StreamInterruptedError, TimeoutError } from "../../core/errors.js";

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

function errorCode(error: unknown): string {
  if (typeof error !== "object" || error === null) return "";
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined || cause === error ? "" : errorCode(cause);
}

/** What an aborted call throws: the abort reason when it is one of ours, else a ClientAbortError. */
export function abortError(signal: AbortSignal): RightsizeError {
  const reason: unknown = signal.reason;
  if (reason instanceof RightsizeError) return reason;
  return new ClientAbortError("the request was cancelled", { cause: reason });
}

/**
 * Maps a failure of the HTTP exchange itself (refused, reset, socket closed, undici timeouts)
 * to our errors. `midStream` is true once response bytes were read: a break there is a
 * StreamInterruptedError. The signal turns cancellations into their reason.
 */
export function networkError(error: unknown, signal: AbortSignal, label: string, midStream = false): RightsizeError {
  if (signal.aborted) return abortError(signal);
  if (error instanceof RightsizeError) return error;
  const code = errorCode(error) || (error instanceof Error ? error.name : "unknown");
  if (TIMEOUT_CODES.has(code)) {
    return new TimeoutError(`upstream ${label} timed out (${code})`, { cause: error });
  }
  if (midStream) {
    return new StreamInterruptedError(`upstream ${label} broke off the response (${code})`, { cause: error });
  }
  return new ConnectionError(`connection to upstream ${label} failed (${code})`, { cause: error });
}
