import { ClientAbortError, ContentFilterError, ContextLengthError, type RightsizeError } from "../core/errors.js";

/**
 * What the engine does after an attempt fails:
 * - `retry`: try the same model again (after a backoff) while attempts remain, then the next;
 * - `next`: the model is unusable for now (bad upstream key, unknown upstream model, a local
 *   model file that cannot be loaded or downloaded, any other server-side failure): next target;
 * - `larger-context`: the prompt does not fit: the next target with a larger context window;
 * - `surface`: the caller's problem (bad request, content filter, client gone): answer it as is.
 */
export type FailureAction = "retry" | "next" | "larger-context" | "surface";

export function classifyFailure(error: RightsizeError): FailureAction {
  if (error instanceof ClientAbortError) return "surface";
  if (error instanceof ContentFilterError) return "surface";
  if (error instanceof ContextLengthError) return "larger-context";
  if (error.isRetryable) return "retry";
  const upstream = error.upstreamStatus;
  if (upstream === 401 || upstream === 403 || upstream === 404) return "next";
  if (error.status >= 500) return "next";
  return "surface";
}

/** Whether a failure says something about the model's health (feeds the circuit breaker). */
export function countsAgainstModel(action: FailureAction): boolean {
  return action === "retry" || action === "next";
}
