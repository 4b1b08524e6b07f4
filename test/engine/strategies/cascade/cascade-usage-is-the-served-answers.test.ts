import { describe, expect, it } from "vitest";
import type { StreamPart } from "../../../../src/core/stream-part.js";
import type { Usage } from "../../../../src/core/usage.js";
import { ChunkEncoder } from "../../../../src/openai/chunk-encoder.js";
import { callContext } from "../../build-test-engine.js";
import { ask, cascadeFixture } from "./cascade-fixture.js";

/**
 * `usage` of a cascaded answer is the served answer's, streamed or not; every step's tokens
 * and cost stay in the request log. Pass criterion: JSON and stream report the same usage for
 * the same escalated request, and the wire's usage chunk has only OpenAI's fields.
 */
async function streamedUsage(parts: AsyncIterable<StreamPart>): Promise<Usage | undefined> {
  let usage: Usage | undefined;
  for await (const part of parts) if (part.type === "usage") usage = part.usage;
  return usage;
}

const escalating = { tiers: ["tiny", "big"], gate: { kind: "length", minChars: 20 } };

describe("the usage of an escalated cascade", () => {
  it("JSON and stream both report the big tier's usage; the log row sums both tiers", async () => {
    const json = await cascadeFixture(escalating);
    json.tiny.script({ text: "four", promptTokens: 10, completionTokens: 12 });
    json.big.script({ text: "The answer is four, exactly.", promptTokens: 20, completionTokens: 5 });
    const done = await json.engine.complete(ask(), callContext());
    expect(done.result.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 });

    const streamed = await cascadeFixture(escalating);
    streamed.tiny.script({ text: "four", promptTokens: 10, completionTokens: 12 });
    streamed.big.script({ text: "The answer is four, exactly.", promptTokens: 20, completionTokens: 5 });
    const stream = await streamed.engine.stream({ ...ask(), stream: true }, callContext());
    const usage = await streamedUsage(stream.parts);
    expect(usage).toEqual({ prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 });

    for (const f of [json, streamed]) {
      await f.store.flush();
      const [row] = await f.store.list({ limit: 1 });
      expect([row?.promptTokens, row?.completionTokens]).toEqual([30, 17]);
    }
  });

  it("a tier abandoned on its first tokens is not in the streamed usage, so nothing estimated is", async () => {
    const f = await cascadeFixture({
      tiers: ["tiny", "big"],
      gate: { kind: "confidence", minMeanLogprob: -0.5, earlyTokens: 2 },
    });
    f.tiny.script({ text: "one two three four five six", logprob: -3, wordDelayMs: 0 });
    f.big.script({ text: "Large answer.", promptTokens: 20, completionTokens: 3 });
    const stream = await f.engine.stream({ ...ask(), stream: true }, callContext());
    const usage = await streamedUsage(stream.parts);
    expect(usage).toEqual({ prompt_tokens: 20, completion_tokens: 3, total_tokens: 23 });
  });

  it("the usage chunk on the wire carries no `estimated` field", () => {
    const encoder = new ChunkEncoder({ id: "chatcmpl-1", model: "m", created: 0, includeUsage: true });
    const frame = encoder.encode({
      type: "usage",
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5, estimated: true, prompt_tokens_details: { cached_tokens: 1 } },
    });
    const body = JSON.parse(frame.slice("data: ".length)) as { usage: Record<string, unknown> };
    expect(body.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5, prompt_tokens_details: { cached_tokens: 1 } });
  });
});
