import { ClientAbortError, RightsizeError } from "../../core/errors.js";

/** The error to throw for an aborted signal: its reason when that is a RightsizeError (a deadline), else a client abort. */
export function abortReason(signal: AbortSignal): RightsizeError {
  const reason: unknown = signal.reason;
  if (reason instanceof RightsizeError) return reason;
  return new ClientAbortError("the request was cancelled", { cause: reason });
}
