/**
 * Aborts an existing controller after `timeoutMs` with the given reason; `signal` and
 * `dispose()` match ChildAbortController so either can carry a request's deadline.
 */
export class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly controller: AbortController,
    timeoutMs: number,
    reason: () => Error,
  ) {
    if (!controller.signal.aborted && Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => controller.abort(reason()), timeoutMs);
      this.timer.unref?.();
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
