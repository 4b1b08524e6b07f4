import { describe, expect, it } from "vitest";
import type { StreamPart } from "../../../../src/core/stream-part.js";
import { UpstreamError } from "../../../../src/core/errors.js";
import { callContext } from "../../build-test-engine.js";
import { ask, cascadeFixture } from "./cascade-fixture.js";

async function collect(parts: AsyncIterable<StreamPart>): Promise<{ text: string; types: string[] }> {
  let text = "";
  const types: string[] = [];
  for await (const part of parts) {
    types.push(part.type);
    if (part.type === "text-delta") text += part.text;
  }
  return { text, types };
}

describe("a streamed cascade out of budget or out of tiers", () => {
  it("cost budget spent after a held tier fails the gate: that held answer is released, nothing else", async () => {
    const f = await cascadeFixture({ gate: { kind: "confidence", minMeanLogprob: -0.5 }, budget: { maxCostUsd: 1e-9 } });
    f.tiny.script({ text: "maybe four", logprob: -0.9 });
    const stream = await f.engine.stream({ ...ask(), stream: true }, callContext());
    expect(stream.cascade).toEqual({ outcome: "budget-exceeded", tier: 1, tiers: 3 });
    const { text, types } = await collect(stream.parts);
    expect(text).toBe("maybe four");
    expect(types.filter((t) => t === "finish")).toHaveLength(1);
    expect(types.at(-1)).toBe("usage");
    expect(f.mid.calls).toHaveLength(0);
  });

  it("the last tier fails before its first byte: the best held answer is released (best-so-far)", async () => {
    const f = await cascadeFixture({ tiers: ["tiny", "big"], gate: { kind: "confidence", minMeanLogprob: -0.5 } });
    f.tiny.script({ text: "probably four", logprob: -1 });
    f.big.script({ error: new UpstreamError("down", { upstreamStatus: 503 }) });
    const stream = await f.engine.stream({ ...ask(), stream: true }, callContext());
    expect(stream.cascade).toEqual({ outcome: "best-so-far", tier: 1, tiers: 2 });
    expect((await collect(stream.parts)).text).toBe("probably four");
    await f.store.flush();
    const [row] = await f.store.list({ limit: 1 });
    expect(row?.attempts.map((a) => [a.model, a.outcome])).toEqual([
      ["tiny", "ok"],
      ["big", "error"],
    ]);
    expect(row?.status).toBe(200);
  });

  it("a passing held tier is relayed once and its usage counted once", async () => {
    const f = await cascadeFixture({ tiers: ["tiny", "big"], gate: { kind: "length" } });
    f.tiny.script({ text: "four", promptTokens: 7, completionTokens: 1 });
    const stream = await f.engine.stream({ ...ask(), stream: true }, callContext());
    const parts: StreamPart[] = [];
    for await (const part of stream.parts) parts.push(part);
    const usage = parts.find((p) => p.type === "usage");
    expect(usage).toMatchObject({ usage: { prompt_tokens: 7, completion_tokens: 1 } });
    expect(parts.filter((p) => p.type === "usage")).toHaveLength(1);
  });
});
