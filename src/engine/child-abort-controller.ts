/** What an attempt holds: its signal, and how to stop its timeout or let go of it. */
export interface AttemptController {
  readonly signal: AbortSignal;
  /** Cancels this attempt only (a no-op for an attempt on a shared signal: close its stream instead). */
  abort(reason?: unknown): void;
  clearTimeout(): void;
  dispose(): void;
}

/** An attempt that runs on its parent's signal, with no deadline of its own (nothing to create or free). */
export function sharedSignal(signal: AbortSignal): AttemptController {
  return { signal, abort() {}, clearTimeout() {}, dispose() {} };
}

/**
 * An AbortController that aborts when its parent signal aborts or after `timeoutMs`, with
 * `dispose()` to drop the timer and the parent listener once the work is done (cheaper than
 * AbortSignal.any + AbortSignal.timeout on the hot path, and leak-free).
 */
export class ChildAbortController extends AbortController implements AttemptController {
  private timer: NodeJS.Timeout | undefined;
  private readonly onParentAbort: () => void;

  constructor(
    private readonly parent: AbortSignal,
    timeoutMs: number | undefined,
    timeoutReason: () => Error,
  ) {
    super();
    this.onParentAbort = () => this.abort(parent.reason);
    if (parent.aborted) {
      this.abort(parent.reason);
      return;
    }
    parent.addEventListener("abort", this.onParentAbort, { once: true });
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => this.abort(timeoutReason()), timeoutMs);
      this.timer.unref?.();
    }
  }

  /** Stops the timeout but keeps following the parent (a stream past its first token). */
  clearTimeout(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.parent.removeEventListener("abort", this.onParentAbort);
  }
}
