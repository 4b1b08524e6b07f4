import { mkdtempSync, writeFileSync } from "node:fs";
import { PriceTable } from "../../../src/pricing/price-table.js";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildReplayTable } from "../../../src/learning/eval/metrics/replay-table.js";
import {
  answerOf,
  cascadeReplay,
  cascadeReplayRouters,
  cascadeSignals,
  parseCascadeSpec,
} from "../../../src/learning/eval/replay/cascade-replay.js";
import { loadOutcomeData } from "../../../src/learning/outcomes/load-outcome-data.js";

/**
 * Cascade replay on a small synthetic outcome file carrying `confidence` and `answer`
 * (prompts of 400 chars = 100 tokens, answers of 400 chars = 100 tokens), every figure
 * computed by hand.
 */
const prices = PriceTable.fromRecord({ s: { input: 1, output: 1 }, m: { input: 10, output: 10 }, l: { input: 100, output: 100 } });
// USD per row: (100 + 100) tokens × price / 1e6.
const cost = { s: 200e-6, m: 2000e-6, l: 20000e-6 };
const prompt = "p".repeat(400);
const o = (score: number, confidence?: number, answer?: string) => ({
  score,
  output_chars: 400,
  ...(confidence === undefined ? {} : { confidence }),
  ...(answer === undefined ? {} : { answer }),
});
const lines = [
  { id: "1", prompt, category: "x", outcomes: { s: o(1, 0.9, "A"), m: o(1, 0.9, "A"), l: o(1, undefined, "A") } },
  { id: "2", prompt, category: "x", outcomes: { s: o(0, 0.4, "B"), m: o(1, 0.8, "A"), l: o(1, undefined, "A") } },
  { id: "3", prompt, category: "y", outcomes: { s: o(0, 0.2, "C"), m: o(0, 0.3, "B"), l: o(1, undefined, "A") } },
  { id: "4", prompt, category: "y", outcomes: { s: o(1, undefined, "D"), m: o(1, 0.95, "D"), l: o(0, undefined, "E") } },
];

async function load() {
  const dir = mkdtempSync(path.join(tmpdir(), "cascade-replay-"));
  const file = path.join(dir, "outcomes.jsonl");
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const { rows } = await loadOutcomeData(file);
  return { rows, table: buildReplayTable(rows, ["s", "m", "l"], prices) };
}

describe("cascade replay on outcome data with confidence", () => {
  it("at threshold 0.5 serves s, m, l, m and charges every tier tried", async () => {
    const { rows, table } = await load();
    const spec = { tiers: ["s", "m", "l"], signal: "confidence" as const };
    const signals = cascadeSignals(rows, spec);
    expect(signals.missing).toBe(1); // row 4 has no confidence for s: s always escalates there
    const router = cascadeReplay(table, spec, signals, 2);
    const out = router.outcomesAt(0.5);
    expect([...out.quality]).toEqual([1, 1, 1, 1]);
    expect([...out.large]).toEqual([0, 0, 1, 0]);
    const expected = [cost.s, cost.s + cost.m, cost.s + cost.m + cost.l, cost.s + cost.m];
    for (const [i, c] of [...out.cost].entries()) expect(c).toBeCloseTo(expected[i]!, 12);
    const point = router.curve.find((p) => p.param === 0.5) ?? router.curve.find((p) => p.param === 0.4);
    expect(point).toBeDefined();
  });

  it("sweeps from always-first-tier (−∞) to always-last-tier (+∞)", async () => {
    const { rows, table } = await load();
    const spec = { tiers: ["s", "m", "l"], signal: "confidence" as const };
    const router = cascadeReplay(table, spec, cascadeSignals(rows, spec), 2);
    const low = router.curve.find((p) => p.param === Number.NEGATIVE_INFINITY);
    const high = router.curve.find((p) => p.param === Number.POSITIVE_INFINITY);
    // −∞: s serves rows 1-3 (scores 1, 0, 0); row 4 has no signal for s, so m serves it (1).
    expect(low?.quality).toBeCloseTo(2 / 4, 12);
    expect(low?.largeShare).toBe(0);
    // +∞: everything escalates to l (scores 1, 1, 1, 0) and pays for all three tiers.
    expect(high?.quality).toBeCloseTo(3 / 4, 12);
    expect(high?.largeShare).toBe(1);
    expect(high?.costPer1k).toBeCloseTo((cost.s + cost.m + cost.l) * 1000, 9);
    expect(router.restrict([2, 3]).outcomesAt(0.5).quality.length).toBe(2);
  });
});

describe("cascade replay with answers (agreement with a witness)", () => {
  it("keeps s where it agrees with the witness m, pays for the witness, escalates to l otherwise", async () => {
    const { rows, table } = await load();
    const spec = { tiers: ["s", "l"], signal: "agreement" as const, witness: "m" };
    const routers = cascadeReplayRouters(rows, [spec])(table);
    const out = routers[0]!.outcomesAt(1);
    // s agrees with m on rows 1 (A=A) and 4 (D=D).
    expect([...out.large]).toEqual([0, 1, 1, 0]);
    expect([...out.quality]).toEqual([1, 1, 1, 1]);
    expect(out.cost[0]).toBeCloseTo(cost.m + cost.s, 12);
    expect(out.cost[1]).toBeCloseTo(cost.m + cost.s + cost.l, 12);
  });

  it("reads MMLU-Pro style answers: gold when correct, pred when wrong", () => {
    const row = {
      id: "q",
      prompt: "",
      category: "c",
      extras: { gold: "C" },
      outcomes: { a: { score: 1, output_chars: 0 }, b: { score: 0, output_chars: 0, pred: "B" } },
    };
    expect(answerOf(row, "a")).toBe("C");
    expect(answerOf(row, "b")).toBe("B");
    expect(answerOf(row, "zzz")).toBeUndefined();
  });
});

describe("the --cascade flag of rightsize eval", () => {
  it("parses confidence and agreement specs", () => {
    expect(parseCascadeSpec("confidence:s,m,l", ["s", "m", "l"])).toEqual({ tiers: ["s", "m", "l"], signal: "confidence" });
    expect(parseCascadeSpec("agreement:s,l@m", ["s", "m", "l"])).toEqual({ tiers: ["s", "l"], signal: "agreement", witness: "m" });
  });

  it.each([
    ["confidence:s", /at least two tiers/],
    ["agreement:s,l", /needs @witness/],
    ["confidence:s,x", /"x" is not one of --models/],
    ["vibes:s,l", /expected confidence:/],
  ])("rejects %j", (spec, message) => {
    expect(() => parseCascadeSpec(spec, ["s", "m", "l"])).toThrow(message);
  });
});
