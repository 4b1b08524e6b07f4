import type { RetryConfig } from "../config/config-schema.js";
import { OverloadedError, RightsizeError, TimeoutError, toRightsizeError, UpstreamError } from "../core/errors.js";
import type { LanguageModel } from "../core/language-model.js";
import type { AttemptRecord } from "../storage/request-log-store.js";
import type { AttemptHandle } from "./attempt-handle.js";
import { abortableSleep } from "./abortable-sleep.js";
import { ChildAbortController, sharedSignal, type AttemptController } from "./child-abort-controller.js";
import type { ModelBreaker } from "./circuit-breaker.js";
import { classifyFailure, countsAgainstModel } from "./classify-failure.js";
import type { RequestRun } from "./request-run.js";
import type { RequestState } from "./request-state.js";
import { retryDelay } from "./retry-delay.js";

export interface AttemptEnvironment {
  retry: RetryConfig;
  breaker(modelId: string): ModelBreaker;
  contextWindow(modelId: string): number;
  attemptTimeoutMs(modelId: string): number;
  /** Remaining milliseconds of the request's total deadline. */
  remainingMs(state: RequestState): number;
  /**
   * false: attempts run on the request's signal with no deadline of their own (a stream's
   * provider bounds its wait with firstTokenTimeoutMs instead), one signal fewer per attempt.
   */
  attemptDeadlines?: boolean;
}

export interface AttemptSuccess<T> {
  value: T;
  model: LanguageModel;
  /** Keeps following the request signal; dispose when the attempt's work is over. */
  controller: AttemptController;
  /** The attempt that succeeded, still open: the caller ends it (succeed, fail, abandon). */
  attempt: AttemptHandle;
}

/**
 * Tries `call` on each candidate in turn: retries retryable failures with backoff (honouring
 * retry-after), skips models whose circuit is open, moves to a larger context window on a
 * context-length error, and surfaces the caller's own errors at once. Every attempt is
 * recorded in `state.attempts`.
 */
export async function runAttempts<T>(
  candidates: readonly LanguageModel[],
  run: RequestRun,
  firstStep: AttemptRecord["step"],
  env: AttemptEnvironment,
  call: (model: LanguageModel, signal: AbortSignal) => Promise<T>,
): Promise<AttemptSuccess<T>> {
  const state = run.state;
  let lastError: RightsizeError | undefined;
  let minContext = 0;
  let rejectedByBreaker = 0;
  let soonestProbeMs = Number.POSITIVE_INFINITY;
  for (let c = 0; c < candidates.length; c++) {
    const model = candidates[c] as LanguageModel;
    const step: AttemptRecord["step"] = c === 0 ? firstStep : firstStep === "continuation" ? "continuation" : "fallback";
    if (env.contextWindow(model.id) <= minContext) continue;
    const breaker = env.breaker(model.id);
    if (!breaker.tryAcquire()) {
      rejectedByBreaker += 1;
      soonestProbeMs = Math.min(soonestProbeMs, breaker.retryInMs());
      run.begin(model.id, step).reject("circuit open");
      continue;
    }
    for (let attempt = 1; attempt <= env.retry.maxAttempts; attempt++) {
      if (state.signal.aborted) throw toRightsizeError(state.signal.reason);
      const controller: AttemptController =
        env.attemptDeadlines === false
          ? sharedSignal(state.signal)
          : new ChildAbortController(
              state.signal,
              env.attemptTimeoutMs(model.id),
              () => new TimeoutError(`model ${model.id} did not answer within its attempt deadline`),
            );
      const handle = run.begin(model.id, attempt === 1 ? step : "retry");
      try {
        const value = await call(model, controller.signal);
        breaker.onSuccess();
        return { value, model, controller, attempt: handle };
      } catch (thrown) {
        controller.dispose();
        const error = attemptError(thrown, controller, state);
        const action = classifyFailure(error);
        handle.fail(error, state.signal.aborted);
        if (state.signal.aborted) {
          breaker.onRelease();
          throw toRightsizeError(state.signal.reason);
        }
        if (countsAgainstModel(action)) breaker.onFailure();
        else breaker.onRelease();
        if (action === "surface") throw error;
        lastError = error;
        if (action === "larger-context") {
          minContext = Math.max(minContext, env.contextWindow(model.id));
          break;
        }
        if (action === "next" || attempt >= env.retry.maxAttempts) break;
        if (error.retryAfterMs !== undefined && error.retryAfterMs > env.retry.maxRetryAfterMs) break;
        const delay = retryDelay(attempt, error.retryAfterMs, env.retry);
        if (delay >= env.remainingMs(state)) break;
        if (delay > 0) await abortableSleep(delay, state.signal).catch(() => undefined);
      }
    }
  }
  if (lastError) throw clientFacing(lastError);
  if (rejectedByBreaker > 0) {
    const retryAfterMs = Number.isFinite(soonestProbeMs) ? soonestProbeMs : undefined;
    throw new OverloadedError("every model for this request is cooling down after repeated failures", { retryAfterMs });
  }
  throw new OverloadedError("no configured model can take this request (context window too small)");
}

/** An upstream that rejected rightsize's own credentials is the gateway's problem, not the caller's: 502. */
function clientFacing(error: RightsizeError): RightsizeError {
  const upstream = error.upstreamStatus;
  if (upstream !== 401 && upstream !== 403) return error;
  return new UpstreamError(`${error.message} (the gateway's upstream credentials were rejected)`, {
    cause: error,
    retryable: false,
    upstreamStatus: upstream,
    code: "upstream_authentication_failed",
  });
}

function attemptError(thrown: unknown, controller: AttemptController, state: RequestState): RightsizeError {
  if (state.signal.aborted) return toRightsizeError(state.signal.reason);
  if (controller.signal.aborted && controller.signal.reason instanceof RightsizeError) return controller.signal.reason;
  return toRightsizeError(thrown);
}
