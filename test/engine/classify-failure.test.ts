import { describe, expect, it } from "vitest";
import {
  ClientAbortError,
  ContentFilterError,
  ContextLengthError,
  InvalidRequestError,
  RateLimitError,
  RightsizeError,
  UpstreamError,
} from "../../src/core/errors.js";
import { classifyFailure } from "../../src/engine/classify-failure.js";
import { ModelFileError } from "../../src/providers/llama-cpp/model-file-error.js";
import { buildTestEngine, callContext, fakeModelConfig } from "./build-test-engine.js";
import { ScriptedLanguageModel } from "./scripted-language-model.js";

describe("classifyFailure", () => {
  it.each([
    ["a 429", new RateLimitError("slow down"), "retry"],
    ["a 5xx", new UpstreamError("boom", { status: 502 }), "retry"],
    ["a context-length 400", new ContextLengthError("too long"), "larger-context"],
    ["a content filter", new ContentFilterError("filtered"), "surface"],
    ["the client leaving", new ClientAbortError(), "surface"],
    ["the caller's bad request", new InvalidRequestError("bad"), "surface"],
    ["an upstream rejecting the gateway's key", new RightsizeError("no", { status: 401, upstreamStatus: 401 }), "next"],
    ["a local model file that cannot load", new ModelFileError("/m.gguf: not a GGUF file", "/m.gguf"), "next"],
    ["an unexpected internal error", new RightsizeError("internal error: x", { status: 500 }), "next"],
  ])("%s → %s", (_name, error, action) => {
    expect(classifyFailure(error)).toBe(action);
  });

  it("a broken local model falls back to the next target instead of failing the request", async () => {
    const local = new ScriptedLanguageModel("local", () => ({ error: new ModelFileError("/m.gguf: truncated", "/m.gguf") }));
    const large = new ScriptedLanguageModel("large", () => ({ text: "served by large" }));
    const { engine } = await buildTestEngine(
      {
        models: [fakeModelConfig("local", 0, 0), fakeModelConfig("large", 5, 15)],
        routers: [{ id: "auto", kind: "fixed", targets: ["local"], fallbacks: ["large"] }],
        retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
      },
      [local, large],
    );
    const done = await engine.complete({ model: "auto", messages: [{ role: "user", content: "hi" }] }, callContext());
    expect(done.model.id).toBe("large");
    expect(done.attempts.map((a) => [a.model, a.outcome])).toEqual([
      ["local", "error"],
      ["large", "ok"],
    ]);
  });
});
