import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StreamPart } from "../../../src/core/stream-part.js";
import { AnthropicModel } from "../../../src/providers/anthropic/anthropic-model.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "../../support/upstream-simulator.js";
import { collectStream, signal, textOf, userRequest } from "../collect-stream.js";

describe("AnthropicModel specifics", () => {
  let sim: UpstreamSimulator;
  let model: AnthropicModel;
  beforeAll(async () => {
    sim = await startUpstreamSimulator();
    model = new AnthropicModel({
      id: "claude",
      provider: "anthropic",
      model: "claude-upstream",
      baseUrl: sim.baseUrl,
      apiKey: "sk-ant-test-0000",
      anthropicVersion: "2023-06-01",
      defaultMaxTokens: 333,
      maxConnections: 4,
      price: { input: 0, output: 0 },
      contextWindow: 200_000,
      tier: "large",
    });
  });
  afterEach(() => sim.reset());
  afterAll(async () => {
    await model.close();
    await sim.close();
  });

  it("posts to /messages with x-api-key, anthropic-version and the default max_tokens", async () => {
    await model.generate(userRequest("hi"), { signal: signal() });
    const received = sim.requests[0];
    expect(received?.path).toBe("/v1/messages");
    expect(received?.headers["x-api-key"]).toBe("sk-ant-test-0000");
    expect(received?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(received?.headers.authorization).toBeUndefined();
    expect(received?.body).toMatchObject({ model: "claude-upstream", max_tokens: 333 });
    expect(model.capabilities.assistantPrefill).toBe(true);
  });

  it("streamed usage carries the prompt-cache reads as prompt_tokens_details.cached_tokens, like the JSON answer", async () => {
    sim.script({ content: "one two", promptTokens: 120, completionTokens: 2, cachedTokens: 100 });
    const json = await model.generate(userRequest("hi"), { signal: signal() });
    expect(json.usage.prompt_tokens_details?.cached_tokens).toBe(100);
    sim.script({ content: "one two", promptTokens: 120, completionTokens: 2, cachedTokens: 100 });
    const { parts } = await collectStream(model.stream(userRequest("hi"), { signal: signal() }));
    const usage = parts.find((part) => part.type === "usage");
    expect(usage?.type === "usage" && usage.usage).toMatchObject({ prompt_tokens: 120, prompt_tokens_details: { cached_tokens: 100 } });
  });

  it("streams text followed by several tool calls, with tool indexes and finish tool_calls", async () => {
    sim.script({
      content: "Checking both.",
      toolCalls: [
        { id: "toolu_1", name: "lookup", arguments: '{"q":"alpha beta gamma"}' },
        { id: "toolu_2", name: "noargs", arguments: "" },
      ],
    });
    const { parts, error } = await collectStream(model.stream(userRequest("q"), { signal: signal() }));
    expect(error).toBeUndefined();
    expect(textOf(parts)).toBe("Checking both.");
    const calls = parts.filter((p): p is Extract<StreamPart, { type: "tool-call-delta" }> => p.type === "tool-call-delta");
    const args = (index: number): string =>
      calls
        .filter((c) => c.toolIndex === index)
        .map((c) => c.argumentsDelta)
        .join("");
    expect(calls.filter((c) => c.name).map((c) => [c.toolIndex, c.id, c.name])).toEqual([
      [0, "toolu_1", "lookup"],
      [1, "toolu_2", "noargs"],
    ]);
    expect(JSON.parse(args(0))).toEqual({ q: "alpha beta gamma" });
    expect(args(1)).toBe("{}");
    expect(parts).toContainEqual({ type: "finish", choice: 0, finishReason: "tool_calls" });
  });

  it("continues a final assistant message (prefill) and maps max_tokens to finish length", async () => {
    const result = await model.generate(
      userRequest("q", {
        max_tokens: 3,
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "Hello", prefix: true },
        ],
      }),
      { signal: signal() },
    );
    expect(result.choices[0]?.finish_reason).toBe("length");
    expect(result.usage.completion_tokens).toBe(3);
    const sent = sim.requests[0]?.body as { messages: { role: string }[] };
    expect(sent.messages.at(-1)?.role).toBe("assistant");
  });
});
