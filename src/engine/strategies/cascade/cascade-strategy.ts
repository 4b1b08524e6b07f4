import type { ExecutionStrategy } from "../execution-strategy.js";
import type { CascadePlan } from "./cascade-plan.js";
import { runCascade } from "./run-cascade.js";

/** A cascade of tiers with their gate and budgets, as a strategy the engine runs. */
export function cascadeStrategy(plan: CascadePlan): ExecutionStrategy {
  return { kind: "cascade", execute: (context) => runCascade(plan, context) };
}
