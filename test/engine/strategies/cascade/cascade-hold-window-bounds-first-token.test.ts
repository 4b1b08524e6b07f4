import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StreamPart } from "../../../../src/core/stream-part.js";
import { callContext } from "../../build-test-engine.js";
import { ask, cascadeFixture } from "./cascade-fixture.js";

/**
 * `stream.holdMs` bounds how long a held tier may take to its first token too, from the moment
 * the tier is asked (fake clock): late headers and a late first chunk both count. Pass
 * criterion: the next tier serves by about holdMs, and the log says the hold window ran out.
 */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout", "performance"] });
});
afterEach(() => vi.useRealTimers());

const settings = { tiers: ["tiny", "big"], gate: { kind: "length" }, stream: { holdMs: 300 } };

async function textOf(parts: AsyncIterable<StreamPart>): Promise<string> {
  let text = "";
  for await (const part of parts) if (part.type === "text-delta") text += part.text;
  return text;
}

describe("a 300 ms hold window", () => {
  it.each([
    ["the headers are late", { delayMs: 1_500 }],
    ["the first chunk is late", { firstTokenDelayMs: 1_500 }],
  ])("a held tier whose first token comes after 1.5 s is abandoned at 300 ms when %s", async (_case, late) => {
    const f = await cascadeFixture(settings);
    f.tiny.script({ text: "slow small answer", ...late });
    f.big.script({ text: "big answer" });
    const started = performance.now();
    const pending = f.engine.stream({ ...ask(), stream: true }, callContext());
    await vi.advanceTimersByTimeAsync(400);
    const stream = await pending;
    expect(performance.now() - started).toBeLessThanOrEqual(400);
    expect(stream.model.id).toBe("big");
    expect(stream.cascade).toEqual({ outcome: "last-tier", tier: 2, tiers: 2 });
    expect(await textOf(stream.parts)).toBe("big answer");
    expect(stream.attempts[0]).toMatchObject({ model: "tiny", note: expect.stringContaining("300 ms hold window") });
  });

  it("the window starts when the tier is asked: 200 ms to the first token leaves 100 ms for the rest", async () => {
    const f = await cascadeFixture(settings);
    f.tiny.script({ text: "one two three four", firstTokenDelayMs: 200, wordDelayMs: 60 });
    f.big.script({ text: "big answer" });
    const pending = f.engine.stream({ ...ask(), stream: true }, callContext());
    await vi.advanceTimersByTimeAsync(400);
    const stream = await pending;
    expect(stream.model.id).toBe("big");
    expect(stream.attempts[0]).toMatchObject({ model: "tiny", partial: true, note: expect.stringContaining("hold window") });
  });
});
