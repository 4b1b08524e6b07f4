import type { CascadeSettings } from "../../routing/routers/cascade-settings.js";
import type { RequestRun } from "../request-run.js";
import type { AttemptEnvironment } from "../run-attempts.js";

/** Why the cascade must stop escalating now (undefined while within budget). */
export function budgetExceeded(run: RequestRun, budget: CascadeSettings["budget"]): string | undefined {
  const elapsed = run.elapsedMs();
  if (budget.maxAddedLatencyMs !== undefined && elapsed >= budget.maxAddedLatencyMs) {
    return `latency budget ${budget.maxAddedLatencyMs} ms spent (${Math.round(elapsed)} ms)`;
  }
  const cost = run.totalCost();
  if (budget.maxCostUsd !== undefined && cost >= budget.maxCostUsd) {
    return `cost budget $${budget.maxCostUsd} spent ($${cost.toFixed(6)})`;
  }
  return undefined;
}

/** Milliseconds left of the latency budget (Infinity without one). */
export function latencyLeftMs(run: RequestRun, budget: CascadeSettings["budget"]): number {
  return budget.maxAddedLatencyMs === undefined ? Number.POSITIVE_INFINITY : budget.maxAddedLatencyMs - run.elapsedMs();
}

/**
 * The attempt environment of a tier that is not the last: no attempt (nor a retry's wait)
 * outlives the latency budget, so a slow cheap tier cannot spend it all.
 */
export function withinLatencyBudget(env: AttemptEnvironment, run: RequestRun, budget: CascadeSettings["budget"]): AttemptEnvironment {
  if (budget.maxAddedLatencyMs === undefined) return env;
  return {
    ...env,
    attemptTimeoutMs: (id) => Math.max(1, Math.min(env.attemptTimeoutMs(id), latencyLeftMs(run, budget))),
    remainingMs: (state) => Math.min(env.remainingMs(state), latencyLeftMs(run, budget)),
  };
}
