import type { CascadeSettings } from "./cascade-settings.js";
import type { RequestRun } from "../../request-run.js";
import type { AttemptEnvironment } from "../../run-attempts.js";

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

/**
 * What the cascade does before asking tier `index` (0-based) of `tiers`:
 * - `ask`: within budget (or the last tier): ask it as usual;
 * - `serve-best`: the budget is spent and some tier has answered: serve the best answer so far;
 * - `ask-final`: the budget is spent before any tier answered: ask this tier with its own
 *   deadline (the spent budget would cut it at once) and serve its answer as is;
 * - `skip-to-last`: spent, no answer, and the tier asked after the budget ran out failed too:
 *   the middle tiers are skipped, the last tier is asked.
 */
export type TierTurn = { action: "ask" } | { action: "serve-best" | "ask-final" | "skip-to-last"; why: string };

export function tierTurn(
  run: RequestRun,
  budget: CascadeSettings["budget"],
  index: number,
  tiers: number,
  state: { hasAnswer: boolean; askedAfterSpent: boolean },
): TierTurn {
  if (index === 0 || index === tiers - 1) return { action: "ask" };
  const why = budgetExceeded(run, budget);
  if (!why) return { action: "ask" };
  if (state.hasAnswer) return { action: "serve-best", why };
  return { action: state.askedAfterSpent ? "skip-to-last" : "ask-final", why };
}

/** The note naming the middle tiers a spent budget skipped. */
export function skippedNote(why: string, tierIds: readonly string[], from: number): string {
  const skipped = tierIds.slice(from, -1).map((id, k) => `tier ${from + k + 1} (${id})`);
  return `cascade: ${why}; ${skipped.join(", ")} skipped, the last tier asked`;
}
