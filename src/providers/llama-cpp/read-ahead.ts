import { abortReason } from "./abort-reason.js";

/**
 * Pulls up to `limit` items from `source` ahead of the consumer. node-llama-cpp evaluates a
 * token only when the next one is asked for, so without read-ahead the model sits idle while
 * the gateway encodes and writes each chunk; with it, the next token is computed (on
 * llama.cpp's thread) while the event loop sends the previous one. Nothing is yielded once
 * `signal` has aborted. When the consumer stops early, `cancel` stops the source and the
 * generator returns only after the source has finished (so its resources are free).
 */
export interface ReadAheadOptions<T> {
  limit: number;
  signal: AbortSignal;
  cancel: () => void;
  /** Joins two queued items into one (or undefined to keep them apart): a consumer that falls behind gets fewer, larger chunks. */
  merge?: (first: T, second: T) => T | undefined;
}

export async function* readAhead<T>(source: AsyncGenerator<T>, options: ReadAheadOptions<T>): AsyncGenerator<T> {
  const { limit, signal, cancel, merge } = options;
  const buffer: T[] = [];
  let finished = false;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const pump = (async () => {
    try {
      while (!stopped) {
        if (buffer.length >= limit) {
          await new Promise<void>((resolve) => (wakeProducer = resolve));
          wakeProducer = undefined;
          continue;
        }
        const next = await source.next();
        if (next.done) break;
        buffer.push(next.value);
        // Wake the consumer on the next turn of the event loop: by then the pump has asked for
        // the next item and node-llama-cpp has dispatched its evaluation (also a setImmediate),
        // so the model computes while the consumer encodes and writes this one.
        const wake = wakeConsumer;
        if (wake) setImmediate(wake);
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      wakeConsumer?.();
    }
  })();
  try {
    for (;;) {
      if (signal.aborted) throw abortReason(signal);
      if (buffer.length > 0) {
        let item = buffer.shift() as T;
        for (let next = buffer[0]; merge && next !== undefined; next = buffer[0]) {
          const merged = merge(item, next);
          if (merged === undefined) break;
          item = merged;
          buffer.shift();
        }
        wakeProducer?.();
        yield item;
        continue;
      }
      if (finished) {
        if (failure) throw failure.error;
        return;
      }
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
      wakeConsumer = undefined;
    }
  } finally {
    if (!finished) {
      stopped = true;
      cancel();
      wakeProducer?.();
    }
    await pump;
    await source.return(undefined);
  }
}
