import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamPart } from "../../../src/core/stream-part.js";
import { InvalidRequestError } from "../../../src/core/errors.js";
import type { LlamaCppModel } from "../../../src/providers/llama-cpp/llama-cpp-model.js";
import { toChatModelFunctions } from "../../../src/providers/llama-cpp/generate-tool-call-parts.js";
import { renderPrompt } from "../../../src/providers/llama-cpp/render-prompt.js";
import { toChatHistory } from "../../../src/providers/llama-cpp/to-chat-history.js";
import { callOptions, makeTemplatedModel, storiesModel } from "./support/stories-model.js";

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

let templated: LlamaCppModel;
beforeAll(async () => {
  templated = await storiesModel({ id: "phi-tiny", model: makeTemplatedModel(), contextSize: 1024 });
});
afterAll(async () => {
  await templated.close();
});

describe("a model with a chat template in its GGUF metadata", () => {
  it("renders system, multi-turn and tool history through the model's own template", async () => {
    const loaded = await templated.host.load();
    expect(loaded.chatWrapper).not.toBeNull();
    const { history } = toChatHistory([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: '{"temp":21}' },
      { role: "user", content: "Thanks" },
    ]);
    const prompt = renderPrompt(loaded, history);
    const text = loaded.model.detokenize(prompt.tokens, true);
    expect(text).toContain("<|user|>");
    expect(text).toContain("<|assistant|>");
    expect(text).toContain("Be brief.");
    expect(text).toContain("get_weather");
    expect(text).toMatch(/"temp": ?21/);
    expect(text.trimEnd().endsWith("<|assistant|>")).toBe(true);
  });

  it("streams a tool request to a finish and exact prompt usage", async () => {
    const parts: StreamPart[] = [];
    const request = {
      model: "phi-tiny",
      messages: [{ role: "user" as const, content: "Weather in Paris?" }],
      tools: [weatherTool],
      temperature: 0,
      max_tokens: 12,
    };
    for await (const part of templated.stream(request, callOptions())) parts.push(part);
    const finish = parts.find((part) => part.type === "finish");
    expect(finish?.type === "finish" && ["stop", "length", "tool_calls"].includes(finish.finishReason)).toBe(true);
    const usage = parts.find((part) => part.type === "usage");
    const loaded = await templated.host.load();
    const { history } = toChatHistory(request.messages);
    const expected = renderPrompt(loaded, history, toChatModelFunctions(request));
    expect(usage?.type === "usage" && usage.usage.prompt_tokens).toBe(expected.tokens.length);
    expect(usage?.type === "usage" && usage.usage.completion_tokens).toBeGreaterThan(0);
  });

  it("enforces a json_schema response_format with a grammar", async () => {
    const result = await templated.generate(
      {
        model: "phi-tiny",
        messages: [{ role: "user", content: "yes or no?" }],
        temperature: 0,
        max_tokens: 40,
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "answer",
            schema: { type: "object", properties: { answer: { enum: ["yes", "no"] } }, required: ["answer"] },
          },
        },
      },
      callOptions(),
    );
    const parsed = JSON.parse(result.choices[0]?.message.content ?? "") as { answer: string };
    expect(["yes", "no"]).toContain(parsed.answer);
    expect(result.choices[0]?.finish_reason).toBe("stop");
  });
});

describe("a model without a chat template", () => {
  it("refuses tools with a clear 400 instead of inventing a syntax", async () => {
    const stories = await storiesModel();
    try {
      const request = { model: "stories", messages: [{ role: "user" as const, content: "Once upon a time" }], tools: [weatherTool] };
      const error = await stories.generate(request, callOptions()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(/no chat template/);
    } finally {
      await stories.close();
    }
  });
});
