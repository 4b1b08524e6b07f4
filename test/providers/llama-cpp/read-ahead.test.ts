import { describe, expect, it } from "vitest";
import { ClientAbortError } from "../../../src/core/errors.js";
import { readAhead } from "../../../src/providers/llama-cpp/read-ahead.js";

async function* numbers(count: number, produced: number[], stop: AbortSignal): AsyncGenerator<number> {
  for (let i = 0; i < count; i += 1) {
    if (stop.aborted) throw new ClientAbortError();
    await new Promise<void>((resolve) => setImmediate(resolve));
    produced.push(i);
    yield i;
  }
}

describe("readAhead", () => {
  it("produces ahead of a slow consumer, up to the limit", async () => {
    const produced: number[] = [];
    const stop = new AbortController();
    const iterator = readAhead(numbers(10, produced, stop.signal), {
      limit: 3,
      signal: new AbortController().signal,
      cancel: () => stop.abort(),
    });
    expect((await iterator.next()).value).toBe(0);
    for (let i = 0; i < 20; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(produced.length).toBe(4); // the one consumed + 3 buffered
    const rest: number[] = [];
    for await (const value of iterator) rest.push(value);
    expect(rest).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("merges queued items when asked", async () => {
    const produced: number[] = [];
    const iterator = readAhead(numbers(6, produced, new AbortController().signal), {
      limit: 10,
      signal: new AbortController().signal,
      cancel: () => undefined,
      merge: (a, b) => a * 10 + b,
    });
    const out: number[] = [(await iterator.next()).value as number];
    for (let i = 0; i < 30; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
    for await (const value of iterator) out.push(value);
    expect(out).toEqual([0, 12345]); // 1..5 queued while the consumer waited, merged into one
  });

  it("stops the source when the consumer returns early and yields nothing after an abort", async () => {
    const produced: number[] = [];
    const stop = new AbortController();
    const iterator = readAhead(numbers(1000, produced, stop.signal), {
      limit: 2,
      signal: new AbortController().signal,
      cancel: () => stop.abort(),
    });
    await iterator.next();
    await iterator.return(undefined);
    expect(stop.signal.aborted).toBe(true);
    const count = produced.length;
    for (let i = 0; i < 10; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(produced.length).toBe(count);

    const aborted = new AbortController();
    const second = readAhead(numbers(5, [], new AbortController().signal), { limit: 5, signal: aborted.signal, cancel: () => undefined });
    aborted.abort();
    await expect(second.next()).rejects.toBeInstanceOf(ClientAbortError);
  });
});
