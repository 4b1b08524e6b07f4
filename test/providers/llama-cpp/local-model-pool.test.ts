import { afterEach, describe, expect, it, vi } from "vitest";
import { ClientAbortError, ContextLengthError, OverloadedError, RateLimitError } from "../../../src/core/errors.js";
import type { LlamaCppModel } from "../../../src/providers/llama-cpp/llama-cpp-model.js";
import { ModelFileError } from "../../../src/providers/llama-cpp/model-file-error.js";
import { SequenceQueue } from "../../../src/providers/llama-cpp/sequence-queue.js";
import { callOptions, storiesModel, storyRequest } from "./support/stories-model.js";

const opened: LlamaCppModel[] = [];
async function open(...args: Parameters<typeof storiesModel>): Promise<LlamaCppModel> {
  const model = await storiesModel(...args);
  opened.push(model);
  return model;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((model) => model.close()));
});

describe("local model pool", () => {
  it("completes 4 concurrent requests on 2 sequences", async () => {
    const model = await open({ concurrency: 2, queueSize: 4 });
    const results = await Promise.all([0, 1, 2, 3].map(() => model.generate(storyRequest({ max_tokens: 16 }), callOptions())));
    for (const result of results) {
      expect(result.choices[0]?.finish_reason).toBe("length");
      expect(result.usage.completion_tokens).toBe(16);
      expect((result.choices[0]?.message.content ?? "").length).toBeGreaterThan(10);
    }
  });

  it("stops generating within one token of an abort, and serves the next request", async () => {
    const model = await open({ concurrency: 1 });
    const controller = new AbortController();
    let deltasAfterAbort = 0;
    let deltas = 0;
    const run = async () => {
      for await (const part of model.stream(storyRequest({ max_tokens: 400 }), callOptions(controller.signal))) {
        if (part.type !== "text-delta") continue;
        deltas += 1;
        if (controller.signal.aborted) deltasAfterAbort += 1;
        if (deltas === 3) controller.abort();
      }
    };
    await expect(run()).rejects.toBeInstanceOf(ClientAbortError);
    expect(deltasAfterAbort).toBe(0);
    const next = await model.generate(storyRequest({ max_tokens: 4 }), callOptions());
    expect(next.usage.completion_tokens).toBe(4);
  });

  it("answers 429 with retry-after when the queue is full", async () => {
    const model = await open({ concurrency: 1, queueSize: 1 });
    const holder = model.stream(storyRequest({ max_tokens: 400 }), callOptions())[Symbol.asyncIterator]();
    await holder.next(); // holds the only sequence
    const waiting = model.generate(storyRequest({ max_tokens: 2 }), callOptions());
    const rejected = model.generate(storyRequest({ max_tokens: 2 }), callOptions());
    await expect(rejected).rejects.toBeInstanceOf(RateLimitError);
    await rejected.catch((error: RateLimitError) => {
      expect(error.status).toBe(429);
      expect(error.retryAfterMs).toBeGreaterThan(0);
    });
    await holder.return?.(undefined);
    expect((await waiting).usage.completion_tokens).toBe(2);
  });

  it("answers 503 when a request waits past queueTimeoutMs", async () => {
    vi.useFakeTimers();
    const queue = new SequenceQueue({ modelId: "m", concurrency: 1, queueSize: 4, queueTimeoutMs: 5_000 });
    const release = await queue.acquire(new AbortController().signal);
    const waiting = queue.acquire(new AbortController().signal);
    const outcome = waiting.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5_001);
    const error = await outcome;
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as OverloadedError).status).toBe(503);
    expect(queue.waitingCount).toBe(0);
    release();
    expect(queue.activeCount).toBe(0);
  });

  it("unloads the model after idleUnloadMs without requests and reloads on the next", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"], shouldAdvanceTime: true });
    const model = await open({ idleUnloadMs: 60_000 });
    expect(model.isLoaded).toBe(false); // lazy: nothing loads before the first request
    await model.generate(storyRequest({ max_tokens: 4 }), callOptions());
    expect(model.isLoaded).toBe(true);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(model.isLoaded).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(model.isLoaded).toBe(false);
    const again = await model.generate(storyRequest({ max_tokens: 4 }), callOptions());
    expect(again.usage.completion_tokens).toBe(4);
  });

  it("refuses a model whose memory estimate does not fit, with a clear error", async () => {
    const model = await open({}, { availableMemoryBytes: () => 1024 * 1024 });
    const error = await model.generate(storyRequest(), callOptions()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe("insufficient_memory");
    expect((error as Error).message).toMatch(/needs about \d+ MB .* only 1 MB of memory is free/);
  });

  it("answers ContextLengthError for a prompt longer than the context", async () => {
    const model = await open({ contextSize: 64 });
    const long = "Once upon a time there was a little girl named Lily. ".repeat(20);
    const error = await model
      .generate(storyRequest({ messages: [{ role: "user", content: long }] }), callOptions())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContextLengthError);
    expect((error as ContextLengthError).status).toBe(400);
  });
});
