import type { ChatRequest } from "../core/chat-request.js";
import { NotFoundError } from "../core/errors.js";
import type { LanguageModel } from "../core/language-model.js";
import type { RouteContext, RouteDecision, Router } from "../routing/router.js";
import { cascadePlan } from "./strategies/cascade/cascade-plan.js";
import { type CascadeRouter, isCascadeRouter } from "./strategies/cascade/cascade-router.js";
import { cascadeStrategy } from "./strategies/cascade/cascade-strategy.js";
import { chainStrategy } from "./strategies/chain/chain-strategy.js";
import type { ExecutionStrategy } from "./strategies/execution-strategy.js";

/**
 * What to do for one request: the router's choice (target, score, reason) and the strategy
 * that executes it, a chain of targets or a cascade of tiers with its gate and budgets.
 */
export interface ExecutionPlan {
  router: Router | null;
  decision: RouteDecision;
  strategy: ExecutionStrategy;
}

export interface PlanSources {
  models: ReadonlyMap<string, LanguageModel>;
  routers: ReadonlyMap<string, Router>;
  /** Per router: ordered fallback model ids. */
  fallbacks: ReadonlyMap<string, readonly string[]>;
}

/** Turns a request into its plan. A router only chooses; the planner says how to execute the choice. */
export class ExecutionPlanner {
  private readonly direct = new Map<string, ExecutionPlan>();
  private readonly cascades = new WeakMap<Router, ExecutionStrategy>();
  /** Per router and chosen target: the chain (made once, not per request). */
  private readonly chains = new WeakMap<Router, Map<string, ExecutionStrategy>>();

  constructor(private readonly sources: PlanSources) {}

  async plan(request: ChatRequest, context: RouteContext): Promise<ExecutionPlan> {
    const sources = this.sources;
    const router = sources.routers.get(request.model);
    if (!router) return this.directPlan(request.model);
    const pending = router.decide(request, context);
    const decision = pending instanceof Promise ? await pending : pending;
    const strategy = isCascadeRouter(router) ? this.cascadeOf(router) : this.chainFor(router, decision);
    return { router, decision, strategy };
  }

  /** A model named directly: a chain of one. */
  private directPlan(id: string): ExecutionPlan {
    const planned = this.direct.get(id);
    if (planned) return planned;
    const model = this.sources.models.get(id);
    if (!model) {
      throw new NotFoundError(unknownModelMessage(id, [...this.sources.routers.keys(), ...this.sources.models.keys()]), {
        param: "model",
      });
    }
    const plan: ExecutionPlan = {
      router: null,
      decision: { target: model.id, score: 0, reason: "model named directly" },
      strategy: chainStrategy([model]),
    };
    this.direct.set(id, plan);
    return plan;
  }

  private chainFor(router: Router, decision: RouteDecision): ExecutionStrategy {
    let byTarget = this.chains.get(router);
    if (!byTarget) {
      byTarget = new Map();
      this.chains.set(router, byTarget);
    }
    let chain = byTarget.get(decision.target);
    if (!chain) {
      chain = chainStrategy(this.chainOf(router, decision));
      // Targets are configured model ids; an unknown one throws above and is not kept.
      byTarget.set(decision.target, chain);
    }
    return chain;
  }

  /** Decision target first, then the router's fallbacks (no repeats). */
  private chainOf(router: Router, decision: RouteDecision): LanguageModel[] {
    const fallbacks = this.sources.fallbacks.get(router.id) ?? [];
    const target = this.sources.models.get(decision.target);
    if (fallbacks.length === 0 && target) return [target];
    const candidates: LanguageModel[] = [];
    const seen = new Set<string>();
    for (const id of [decision.target, ...fallbacks]) {
      if (seen.has(id)) continue;
      seen.add(id);
      const model = this.sources.models.get(id);
      if (model) candidates.push(model);
    }
    if (candidates.length === 0) {
      throw new NotFoundError(`router "${router.id}" chose "${decision.target}", which is not a configured model`);
    }
    return candidates;
  }

  private cascadeOf(router: CascadeRouter): ExecutionStrategy {
    let strategy = this.cascades.get(router);
    if (!strategy) {
      strategy = cascadeStrategy(cascadePlan(router, this.sources.models, this.sources.fallbacks.get(router.id) ?? []));
      this.cascades.set(router, strategy);
    }
    return strategy;
  }
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
