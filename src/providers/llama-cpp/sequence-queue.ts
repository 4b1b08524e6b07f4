import { OverloadedError, RateLimitError } from "../../core/errors.js";
import { abortReason } from "./abort-reason.js";

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export interface SequenceQueueOptions {
  /** Requests served at once (the context's sequences). */
  concurrency: number;
  /** Requests allowed to wait beyond `concurrency`; one more gets a 429. */
  queueSize: number;
  /** A request waiting longer than this gets a 503. */
  queueTimeoutMs: number;
  /** The model id, for error messages. */
  modelId: string;
}

/**
 * A bounded FIFO of requests waiting for one of a model's sequences. A full queue answers
 * RateLimitError (429 with retry-after), a wait past `queueTimeoutMs` OverloadedError (503),
 * and an aborted signal removes the waiter at once.
 */
export class SequenceQueue {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly options: SequenceQueueOptions) {}

  get activeCount(): number {
    return this.active;
  }

  get waitingCount(): number {
    return this.waiters.length;
  }

  /** Resolves when a slot is free; call the returned function exactly once to free it. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw abortReason(signal);
    if (this.active < this.options.concurrency && this.waiters.length === 0) {
      this.active += 1;
      return this.releaser();
    }
    if (this.waiters.length >= this.options.queueSize) {
      throw new RateLimitError(
        `local model ${this.options.modelId} is busy: ${this.active} requests running and ${this.waiters.length} queued (queueSize ${this.options.queueSize})`,
        { retryAfterMs: 1000 },
      );
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          cleanup();
          resolve();
        },
        reject: (error) => {
          cleanup();
          this.remove(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiter.reject(
          new OverloadedError(
            `local model ${this.options.modelId} queue timeout: waited ${this.options.queueTimeoutMs} ms for a free sequence`,
            { retryAfterMs: 1000 },
          ),
        );
      }, this.options.queueTimeoutMs);
      const onAbort = () => waiter.reject(abortReason(signal));
      const cleanup = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next)
        next.resolve(); // the slot passes straight to the next waiter
      else this.active -= 1;
      this.onIdleChange?.();
    };
  }

  /** Called after each release (the host uses it to arm the idle-unload timer). */
  onIdleChange: (() => void) | undefined;

  private remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
  }
}
