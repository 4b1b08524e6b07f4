import type { ChatRequest } from "../../core/chat-request.js";
import type { RouteContext, RouteDecision, Router } from "../../routing/router.js";

/** Which model the canary sends where, right now. */
export interface CanaryRouting {
  incumbent: string;
  candidate: string;
  /** Share of the incumbent's requests the candidate answers (1 after promotion, 0 after rollback). */
  share(): number;
  /** Called for each request routed to either arm. */
  onRouted(arm: "incumbent" | "candidate"): void;
}

/**
 * A router with a canary: when the inner router chooses the incumbent, a share of those requests
 * go to the candidate instead (the reason says so); everything else is the inner router's choice.
 */
export class CanaryRouter implements Router {
  readonly #inner: Router;
  readonly #canary: CanaryRouting;
  readonly #random: () => number;

  constructor(inner: Router, canary: CanaryRouting, random: () => number = Math.random) {
    this.#inner = inner;
    this.#canary = canary;
    this.#random = random;
  }

  get id(): string {
    return this.#inner.id;
  }

  get kind(): string {
    return this.#inner.kind;
  }

  get targets(): readonly string[] {
    return this.#inner.targets.includes(this.#canary.candidate) ? this.#inner.targets : [...this.#inner.targets, this.#canary.candidate];
  }

  decide(request: ChatRequest, context: RouteContext): RouteDecision | Promise<RouteDecision> {
    const decision = this.#inner.decide(request, context);
    return decision instanceof Promise ? decision.then((d) => this.#apply(d)) : this.#apply(decision);
  }

  #apply(decision: RouteDecision): RouteDecision {
    if (decision.target !== this.#canary.incumbent) return decision;
    if (this.#random() < this.#canary.share()) {
      this.#canary.onRouted("candidate");
      return {
        ...decision,
        target: this.#canary.candidate,
        reason: `${decision.reason}; canary: ${this.#canary.candidate} instead of ${this.#canary.incumbent}`,
      };
    }
    this.#canary.onRouted("incumbent");
    return decision;
  }
}
