/**
 * An AbortController that aborts when its parent signal aborts or after `timeoutMs`, with
 * `dispose()` to drop the timer and the parent listener once the work is done (cheaper than
 * AbortSignal.any + AbortSignal.timeout on the hot path, and leak-free).
 */
export class ChildAbortController extends AbortController {
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
