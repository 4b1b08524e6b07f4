import type { ChatRequest } from "../core/chat-request.js";
import { NotFoundError } from "../core/errors.js";
import type { LanguageModel } from "../core/language-model.js";
import type { RouteContext, RouteDecision, Router } from "../routing/router.js";

/** The routing decision and the ordered models to try for one request. */
export interface ExecutionPlan {
  router: Router | null;
  decision: RouteDecision;
  /** Decision target first, then the router's fallbacks (no repeats). */
  candidates: LanguageModel[];
}

export interface PlanSources {
  models: ReadonlyMap<string, LanguageModel>;
  routers: ReadonlyMap<string, Router>;
  /** Per router: ordered fallback model ids. */
  fallbacks: ReadonlyMap<string, readonly string[]>;
}

export async function planExecution(request: ChatRequest, context: RouteContext, sources: PlanSources): Promise<ExecutionPlan> {
  const router = sources.routers.get(request.model);
  if (!router) {
    const model = sources.models.get(request.model);
    if (!model) {
      throw new NotFoundError(unknownModelMessage(request.model, [...sources.routers.keys(), ...sources.models.keys()]), {
        param: "model",
      });
    }
    return { router: null, decision: { target: model.id, score: 0, reason: "model named directly" }, candidates: [model] };
  }
  const pending = router.decide(request, context);
  const decision = pending instanceof Promise ? await pending : pending;
  const candidates: LanguageModel[] = [];
  const seen = new Set<string>();
  for (const id of [decision.target, ...(sources.fallbacks.get(router.id) ?? [])]) {
    if (seen.has(id)) continue;
    seen.add(id);
    const model = sources.models.get(id);
    if (model) candidates.push(model);
  }
  if (candidates.length === 0) {
    throw new NotFoundError(`router "${router.id}" chose "${decision.target}", which is not a configured model`);
  }
  return { router, decision, candidates };
}

/** Characters of the client's model name an error echoes. */
const ECHOED_NAME_CHARS = 64;
/** Configured ids an unknown-model error lists. */
const LISTED_IDS = 10;

/** "The model … does not exist": a short prefix of what the client sent, a bounded list of what exists. */
export function unknownModelMessage(requested: string, known: readonly string[]): string {
  const name = requested.length > ECHOED_NAME_CHARS ? `${requested.slice(0, ECHOED_NAME_CHARS)}…` : requested;
  const listed = known.slice(0, LISTED_IDS).join(", ");
  const more = known.length > LISTED_IDS ? ` and ${known.length - LISTED_IDS} more` : "";
  return `The model "${name}" does not exist. Available: ${listed}${more}.`;
}
