import type { LanguageModel } from "../../../core/language-model.js";
import { runAttempts } from "../../run-attempts.js";
import type { ExecutionStrategy } from "../execution-strategy.js";

/**
 * A chain of targets: the router's choice, then its fallbacks, each with retries, breakers and
 * deadlines (`runAttempts`). The first that answers serves; the same models may continue its
 * stream if it breaks later.
 */
export function chainStrategy(candidates: readonly LanguageModel[]): ExecutionStrategy {
  return {
    kind: "chain",
    targets: candidates,
    async execute({ run, source, env, streamEnv, timeouts }) {
      // A stream's first-token timeout bounds its wait; no separate attempt deadline.
      const opened = await runAttempts(candidates, run, "route", source.stream ? streamEnv : env, (model, signal) =>
        source.open(model, run.request, signal, timeouts(model.id)),
      );
      return { opened, candidates };
    },
  };
}
