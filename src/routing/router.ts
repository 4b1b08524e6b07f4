import type { ChatRequest } from "../core/chat-request.js";

/** What a router knows about a request besides its body. */
export interface RouteContext {
  /** Lower-cased request headers (e.g. `x-rightsize-tier`), as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The caller's API key id, when client keys are configured. */
  callerId?: string;
}

export interface RouteDecision {
  /** The configured model id to call first. */
  target: string;
  /**
   * In [0,1]: how strongly the request needs the large model (for learned routers the
   * predicted probability that the small model is not enough). Rule-based routers report
   * the score of their matched rule.
   */
  score: number;
  /** A sentence a person can read: the matched rule, the nearest examples, the top features. */
  reason: string;
  /** Structured explanation for logs and `rightsize route` (feature values, neighbours, …). */
  details?: Record<string, unknown>;
}

/**
 * Decides, before any model is called, which model serves a request. `decide` is pure and
 * cheap; it may return a promise when it needs an embedding.
 */
export interface Router {
  /** The router's id as clients name it in `model` (e.g. `rightsize/auto`). */
  readonly id: string;
  readonly kind: string;
  /** Every model id the router may choose. */
  readonly targets: readonly string[];
  decide(request: ChatRequest, context: RouteContext): RouteDecision | Promise<RouteDecision>;
}
