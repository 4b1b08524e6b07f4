import { TimeoutError } from "../../core/errors.js";
import type { CallOptions } from "../../core/language-model.js";

/**
 * One AbortSignal per call combining the caller's signal with the first-token and idle-stream
 * deadlines of `CallOptions`. A deadline aborts with a TimeoutError as the reason, so the
 * generation loop (which checks the signal before every token) stops within one token.
 */
export class CallDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort = () => this.abort(this.options.signal.reason);

  constructor(
    private readonly options: CallOptions,
    private readonly modelId: string,
  ) {
    if (options.signal.aborted) this.abort(options.signal.reason);
    else options.signal.addEventListener("abort", this.onCallerAbort, { once: true });
    const firstTokenMs = options.firstTokenTimeoutMs;
    if (firstTokenMs !== undefined) {
      this.arm(firstTokenMs, `local model ${modelId} produced no first token within ${firstTokenMs} ms`);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** A token arrived: the first-token deadline is met, the idle deadline restarts. */
  tokenArrived(): void {
    const idleMs = this.options.idleTimeoutMs;
    if (idleMs === undefined) this.clear();
    else this.arm(idleMs, `local model ${this.modelId} was silent for more than ${idleMs} ms mid-answer`);
  }

  /** Stops the call now (the consumer went away). */
  cancel(reason: unknown): void {
    this.abort(reason);
  }

  dispose(): void {
    this.clear();
    this.options.signal.removeEventListener("abort", this.onCallerAbort);
  }

  private arm(ms: number, message: string): void {
    this.clear();
    this.timer = setTimeout(() => this.abort(new TimeoutError(message)), ms);
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private abort(reason: unknown): void {
    this.clear();
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }
}
