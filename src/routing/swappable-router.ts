import type { ChatRequest } from "../core/chat-request.js";
import type { RouteContext, RouteDecision, Router } from "./router.js";

/**
 * A router whose implementation can be replaced while requests are being served (a promoted
 * artifact). A request asks `decide` once, so it finishes on the router it started with; the
 * replacement is a single reference assignment made only after the new router is fully built,
 * so no request ever sees a half-loaded one.
 */
export class SwappableRouter implements Router {
  #current: Router;
  #version: string;

  constructor(initial: Router, version: string) {
    this.#current = initial;
    this.#version = version;
  }

  get id(): string {
    return this.#current.id;
  }

  get kind(): string {
    return this.#current.kind;
  }

  get targets(): readonly string[] {
    return this.#current.targets;
  }

  /** The artifact version serving now. */
  get version(): string {
    return this.#version;
  }

  /** The router serving now. */
  get current(): Router {
    return this.#current;
  }

  decide(request: ChatRequest, context: RouteContext): RouteDecision | Promise<RouteDecision> {
    return this.#current.decide(request, context);
  }

  /** Serves new requests with `next` (same id and kind); returns the router it replaced. */
  swap(next: Router, version: string): Router {
    if (next.id !== this.#current.id || next.kind !== this.#current.kind) {
      throw new TypeError(`cannot swap router ${this.#current.id} (${this.#current.kind}) for ${next.id} (${next.kind})`);
    }
    const previous = this.#current;
    this.#current = next;
    this.#version = version;
    return previous;
  }
}
