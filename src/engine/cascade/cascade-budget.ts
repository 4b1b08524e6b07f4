import type { CascadeSettings } from "../../routing/routers/cascade-settings.js";
import type { RequestRun } from "../request-run.js";

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
