import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UpstreamError } from "../../../../src/core/errors.js";
import type { StreamPart } from "../../../../src/core/stream-part.js";
import type { ChatStream, CompletedChat } from "../../../../src/engine/chat-engine.js";
import { callContext } from "../../build-test-engine.js";
import { ask, type CascadeFixture, cascadeFixture } from "./cascade-fixture.js";

/**
 * Once the latency budget is spent with no answer in hand, the cascade asks no tier it would
 * cut at once: the next tier is asked with its own deadline and served as is, the middle
 * tiers after it are skipped, and the log names the budget (fake clock).
 */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout", "performance"] });
});
afterEach(() => vi.useRealTimers());

const settings = {
  tiers: ["tiny", "mid", "judge", "big"],
  gate: { kind: "confidence", minMeanLogprob: -0.5 },
  budget: { maxAddedLatencyMs: 1_000 },
};

type Run = (f: CascadeFixture) => Promise<CompletedChat | ChatStream>;
const json: Run = (f) => f.engine.complete(ask(), callContext());
const stream: Run = async (f) => {
  const s = await f.engine.stream({ ...ask(), stream: true }, callContext());
  for await (const _part of s.parts as AsyncIterable<StreamPart>) {
    // drained
  }
  return s;
};

describe.each([
  ["JSON", json],
  ["stream", stream],
])("%s: a latency budget of 1 s spent by a slow first tier", (_name, run) => {
  it("the next tier is asked with its own deadline and served; no later tier is asked", async () => {
    const f = await cascadeFixture(settings);
    f.tiny.script({ text: "4", delayMs: 5_000 });
    f.mid.script({ text: "probably 4", logprob: -0.9, delayMs: 10 });
    const pending = run(f);
    await vi.advanceTimersByTimeAsync(1_100);
    const done = await pending;
    expect(done.model.id).toBe("mid");
    expect(done.cascade).toEqual({ outcome: "budget-exceeded", tier: 2, tiers: 4 });
    expect(done.attempts.map((a) => [a.model, a.outcome])).toEqual([
      ["tiny", "error"],
      ["mid", "ok"],
    ]);
    expect(done.attempts[1]?.note).toMatch(/latency budget 1000 ms spent/);
    expect(done.attempts.some((a) => a.error?.includes("attempt deadline") && a.model !== "tiny")).toBe(false);
    expect(f.judge.calls).toHaveLength(0);
    expect(f.big.calls).toHaveLength(0);
  });

  it("when that tier fails too, the middle tiers are skipped and the last tier serves", async () => {
    const f = await cascadeFixture(settings);
    f.tiny.script({ text: "4", delayMs: 5_000 });
    f.mid.script({ error: new UpstreamError("down", { upstreamStatus: 503 }) });
    f.big.script({ text: "4" });
    const pending = run(f);
    await vi.advanceTimersByTimeAsync(1_100);
    const done = await pending;
    expect(done.model.id).toBe("big");
    expect(f.judge.calls).toHaveLength(0);
    expect(done.attempts.map((a) => a.model)).toEqual(["tiny", "mid", "big"]);
    expect(done.attempts.map((a) => a.note ?? "").join(" ")).toMatch(/latency budget 1000 ms spent.*tier 3 \(judge\) skipped/);
  });
});
