import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StreamPart } from "../../../../src/core/stream-part.js";
import { callContext } from "../../build-test-engine.js";
import { ask, cascadeFixture } from "./cascade-fixture.js";

/**
 * The latency budget bounds the tiers themselves, not only the decision to escalate: a slow
 * cheap tier is cut at the budget (fake clock). Pass criterion: the request ends near the
 * budget with the best answer so far, and the expensive tier is never called.
 */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout", "performance"] });
});
afterEach(() => vi.useRealTimers());

const settings = { gate: { kind: "confidence", minMeanLogprob: -0.5 }, budget: { maxAddedLatencyMs: 1_000 } };

describe("a latency budget of 1 s", () => {
  it("JSON: a 5 s second tier is cut at the budget and the first tier's answer is served", async () => {
    const f = await cascadeFixture(settings);
    f.tiny.script({ text: "maybe 4", logprob: -0.9 });
    f.mid.script({ text: "4", logprob: -0.1, delayMs: 5_000 });
    const started = performance.now();
    const pending = f.engine.complete(ask(), callContext());
    await vi.advanceTimersByTimeAsync(1_100);
    const done = await pending;
    expect(performance.now() - started).toBeLessThanOrEqual(1_100);
    expect(done.cascade).toEqual({ outcome: "budget-exceeded", tier: 1, tiers: 3 });
    expect(done.result.choices[0]?.message.content).toBe("maybe 4");
    expect(done.attempts.map((a) => [a.model, a.outcome])).toEqual([
      ["tiny", "ok"],
      ["mid", "error"],
    ]);
    expect(f.big.calls).toHaveLength(0);
  });

  it("JSON: a slow first tier with no answer yet does not stop the cascade", async () => {
    const f = await cascadeFixture(settings);
    f.tiny.script({ text: "4", delayMs: 5_000 });
    f.mid.script({ text: "probably 4", logprob: -0.9 });
    const pending = f.engine.complete(ask(), callContext());
    await vi.advanceTimersByTimeAsync(1_100);
    const done = await pending;
    expect(done.model.id).toBe("mid");
    expect(done.cascade?.outcome).toBe("budget-exceeded");
    expect(f.big.calls).toHaveLength(0);
  });

  it("stream: a tier still streaming at the budget is abandoned unseen; the next tier's held answer is served", async () => {
    const f = await cascadeFixture(settings);
    f.tiny.script({ text: "one two three four five six", logprob: -0.1, wordDelayMs: 400 });
    f.mid.script({ text: "probably four", logprob: -0.9 });
    const pending = f.engine.stream({ ...ask(), stream: true }, callContext());
    await vi.advanceTimersByTimeAsync(1_100);
    const stream = await pending;
    expect(stream.model.id).toBe("mid");
    expect(stream.cascade?.outcome).toBe("budget-exceeded");
    let text = "";
    for await (const part of stream.parts as AsyncIterable<StreamPart>) if (part.type === "text-delta") text += part.text;
    expect(text).toBe("probably four");
    expect(stream.attempts[0]).toMatchObject({ model: "tiny", partial: true, note: expect.stringContaining("hold window") });
    expect(f.big.calls).toHaveLength(0);
  });
});
