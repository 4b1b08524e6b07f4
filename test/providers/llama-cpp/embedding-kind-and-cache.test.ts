import { describe, expect, it } from "vitest";
import { ClientAbortError, InvalidRequestError } from "../../../src/core/errors.js";
import { SequenceQueue } from "../../../src/providers/llama-cpp/sequence-queue.js";
import { callOptions, storiesModel, storyRequest } from "./support/stories-model.js";

describe("kind: embedding", () => {
  it("serves embed() and refuses chat with a clear 400", async () => {
    const model = await storiesModel({ id: "stories-embed", kind: "embedding" });
    try {
      const result = await model.embed({ model: "stories-embed", input: "a little girl", dimensions: 16 }, callOptions());
      expect(result.embeddings[0]).toHaveLength(16);
      const norm = Math.hypot(...(result.embeddings[0] ?? []));
      expect(norm).toBeCloseTo(1, 5);
      const chat = await model.generate(storyRequest(), callOptions()).catch((caught: unknown) => caught);
      expect(chat).toBeInstanceOf(InvalidRequestError);
      expect((chat as Error).message).toMatch(/embedding model/);
      await expect(model.embed({ model: "stories-embed", input: "x", dimensions: 1000 }, callOptions())).rejects.toBeInstanceOf(
        InvalidRequestError,
      );
    } finally {
      await model.close();
    }
  });
});

describe("prefix cache", () => {
  it("reuses the KV cache of a resent conversation prefix and still counts every prompt token", async () => {
    const model = await storiesModel({ concurrency: 1 });
    try {
      const first = await model.generate(storyRequest({ max_tokens: 8 }), callOptions());
      const text = first.choices[0]?.message.content ?? "";
      const second = await model.generate(
        storyRequest({
          max_tokens: 8,
          messages: [
            { role: "user", content: "Once upon a time" },
            { role: "assistant", content: text },
            { role: "user", content: "The end." },
          ],
        }),
        callOptions(),
      );
      expect(second.usage.prompt_tokens_details?.cached_tokens).toBeGreaterThanOrEqual(first.usage.prompt_tokens - 1);
      expect(second.usage.prompt_tokens).toBeGreaterThan(first.usage.prompt_tokens + 8);
    } finally {
      await model.close();
    }
  });
});

describe("SequenceQueue", () => {
  it("removes a waiter whose signal aborts and rejects it as a client abort", async () => {
    const queue = new SequenceQueue({ modelId: "m", concurrency: 1, queueSize: 2, queueTimeoutMs: 60_000 });
    const release = await queue.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = queue.acquire(controller.signal);
    expect(queue.waitingCount).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(ClientAbortError);
    expect(queue.waitingCount).toBe(0);
    release();
    expect(queue.activeCount).toBe(0);
  });

  it("hands a released slot straight to the next waiter in order", async () => {
    const queue = new SequenceQueue({ modelId: "m", concurrency: 1, queueSize: 2, queueTimeoutMs: 60_000 });
    const release = await queue.acquire(new AbortController().signal);
    const order: number[] = [];
    const a = queue.acquire(new AbortController().signal).then((done) => {
      order.push(1);
      return done;
    });
    const b = queue.acquire(new AbortController().signal).then((done) => {
      order.push(2);
      return done;
    });
    release();
    (await a)();
    (await b)();
    expect(order).toEqual([1, 2]);
    expect(queue.activeCount).toBe(0);
  });
});
