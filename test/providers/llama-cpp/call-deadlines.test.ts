import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TimeoutError } from "../../../src/core/errors.js";
import type { LlamaCppModel } from "../../../src/providers/llama-cpp/llama-cpp-model.js";
import { storiesModel, storyRequest } from "./support/stories-model.js";

let model: LlamaCppModel;
beforeAll(async () => {
  model = await storiesModel({ concurrency: 1, queueSize: 2 });
  await model.host.load();
});
afterAll(async () => {
  await model.close();
});

describe("CallOptions deadlines", () => {
  it("firstTokenTimeoutMs fails a request still queued behind another with a TimeoutError", async () => {
    const holder = model.stream(storyRequest({ max_tokens: 400 }), { signal: new AbortController().signal })[Symbol.asyncIterator]();
    await holder.next();
    const error = await model
      .generate(storyRequest({ max_tokens: 4 }), { signal: new AbortController().signal, firstTokenTimeoutMs: 20 })
      .catch((caught: unknown) => caught);
    await holder.return?.(undefined);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toMatch(/no first token within 20 ms/);
  });

  it("a generous idleTimeoutMs lets a normal answer finish", async () => {
    const result = await model.generate(storyRequest({ max_tokens: 8 }), {
      signal: new AbortController().signal,
      firstTokenTimeoutMs: 10_000,
      idleTimeoutMs: 10_000,
    });
    expect(result.usage.completion_tokens).toBe(8);
  });
});
