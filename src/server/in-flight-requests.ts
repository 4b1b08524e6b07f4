/**
 * The requests the gateway is answering, so a shutdown can wait for them for a bounded grace
 * period and then end the rest (their streams end with an error frame, JSON answers get a 503).
 */
export class InFlightRequests {
  /** Set once shutdown starts: new requests are refused with 503. */
  draining = false;
  private readonly controllers = new Set<AbortController>();
  private idle: (() => void) | undefined;

  get size(): number {
    return this.controllers.size;
  }

  /** Tracks a request until the returned function is called. */
  track(controller: AbortController): () => void {
    this.controllers.add(controller);
    return () => {
      this.controllers.delete(controller);
      if (this.controllers.size === 0) this.idle?.();
    };
  }

  /** Resolves once no request is in flight. */
  whenIdle(): Promise<void> {
    if (this.controllers.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.idle;
      this.idle = () => {
        this.idle = undefined;
        previous?.();
        resolve();
      };
    });
  }

  /** Aborts every request in flight with `reason`. */
  abortAll(reason: Error): void {
    for (const controller of this.controllers) if (!controller.signal.aborted) controller.abort(reason);
  }
}
