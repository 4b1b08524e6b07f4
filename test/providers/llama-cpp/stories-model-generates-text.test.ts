import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamPart } from "../../../src/core/stream-part.js";
import { getSharedLlama } from "../../../src/providers/llama-cpp/llama-runtime.js";
import type { LlamaCppModel } from "../../../src/providers/llama-cpp/llama-cpp-model.js";
import { callOptions, storiesModel, storiesPath, storyRequest } from "./support/stories-model.js";

let model: LlamaCppModel;
beforeAll(async () => {
  model = await storiesModel();
});
afterAll(async () => {
  await model.close();
});

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe("stories260K through the llama-cpp provider (no chat template: plain-text fallback)", () => {
  it("generates English text from 'Once upon a time'", async () => {
    const result = await model.generate(storyRequest({ max_tokens: 40 }), callOptions());
    const text = result.choices[0]?.message.content ?? "";
    expect(text.length).toBeGreaterThan(40);
    expect(text).toMatch(/^[\x20-\x7e\n]+$/);
    const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
    const common = words.filter((word) => ["there", "was", "a", "the", "she", "he", "girl", "boy", "little", "named"].includes(word));
    expect(common.length).toBeGreaterThanOrEqual(4);
    expect(result.object).toBe("chat.completion");
    expect(result.choices[0]?.finish_reason).toBe("length");
  });

  it("gives the same greedy output streamed and non-streamed", async () => {
    const request = storyRequest({ max_tokens: 32 });
    const whole = await model.generate(request, callOptions());
    const parts = await collect(model.stream(request, callOptions()));
    const streamed = parts.flatMap((part) => (part.type === "text-delta" ? [part.text] : [])).join("");
    expect(streamed).toBe(whole.choices[0]?.message.content);
    expect(parts[0]?.type).toBe("start");
    expect(parts.map((part) => part.type).slice(-2)).toEqual(["finish", "usage"]);
  });

  it("counts usage exactly with the model's tokenizer", async () => {
    const llama = await getSharedLlama();
    const tokenizerModel = await llama.loadModel({ modelPath: storiesPath });
    try {
      const result = await model.generate(storyRequest({ max_tokens: 20 }), callOptions());
      const promptTokens = 1 + tokenizerModel.tokenize("Once upon a time").length; // BOS + text
      expect(result.usage.prompt_tokens).toBe(promptTokens);
      expect(result.usage.completion_tokens).toBe(20);
      expect(result.usage.total_tokens).toBe(promptTokens + 20);
      expect(result.usage.estimated).toBeUndefined();
      const text = result.choices[0]?.message.content ?? "";
      expect(tokenizerModel.tokenize(`Once upon a time${text}`).length).toBe(promptTokens - 1 + 20);
    } finally {
      await tokenizerModel.dispose();
    }
  });

  it("returns per-token logprobs when asked, one per completion token", async () => {
    const result = await model.generate(storyRequest({ max_tokens: 12, logprobs: true, top_logprobs: 3 }), callOptions());
    const content = result.choices[0]?.logprobs?.content ?? [];
    expect(content).toHaveLength(12);
    expect(content.map((entry) => entry.token).join("")).toBe(result.choices[0]?.message.content);
    for (const entry of content) {
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.top_logprobs).toHaveLength(3);
      expect(entry.top_logprobs?.[0]?.token).toBe(entry.token); // greedy picks the most likely token
      expect(entry.top_logprobs?.[0]?.logprob).toBeCloseTo(entry.logprob, 6);
    }
  });

  it("leaves logprobs out when not asked", async () => {
    const result = await model.generate(storyRequest({ max_tokens: 4 }), callOptions());
    expect(result.choices[0]?.logprobs).toBeNull();
  });

  it("stops at a stop sequence and never emits it", async () => {
    const result = await model.generate(storyRequest({ max_tokens: 60, stop: ["Lily"] }), callOptions());
    const text = result.choices[0]?.message.content ?? "";
    expect(text).not.toContain("Lily");
    expect(result.choices[0]?.finish_reason).toBe("stop");
  });

  it("continues an assistant prefix (prefix: true)", async () => {
    const request = storyRequest({
      max_tokens: 10,
      messages: [
        { role: "user", content: "Once upon a time" },
        { role: "assistant", content: "there was a big dog", prefix: true },
      ],
    });
    const result = await model.generate(request, callOptions());
    expect((result.choices[0]?.message.content ?? "").length).toBeGreaterThan(0);
    expect(result.usage.prompt_tokens).toBeGreaterThan(storyRequest().messages.length + 8);
  });

  it("constrains output to JSON with response_format json_object", async () => {
    const result = await model.generate(storyRequest({ max_tokens: 20, response_format: { type: "json_object" } }), callOptions());
    expect((result.choices[0]?.message.content ?? "").trimStart().startsWith("{")).toBe(true);
  });

  it("applies frequency_penalty: fewer repeated words than plain greedy", async () => {
    const repeats = (text: string) => {
      const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
      return words.length - new Set(words).size;
    };
    const plain = await model.generate(storyRequest({ max_tokens: 80 }), callOptions());
    const penalised = await model.generate(storyRequest({ max_tokens: 80, frequency_penalty: 2 }), callOptions());
    expect(penalised.choices[0]?.message.content).not.toBe(plain.choices[0]?.message.content);
    expect(repeats(penalised.choices[0]?.message.content ?? "")).toBeLessThan(repeats(plain.choices[0]?.message.content ?? ""));
  });

  it("embeds text with the model's embedding context", async () => {
    const result = await model.embed({ model: "stories", input: ["a little girl", "a big dog"] }, callOptions());
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings[0]).toHaveLength(64);
    expect(result.usage.prompt_tokens).toBeGreaterThan(2);
  });
});
