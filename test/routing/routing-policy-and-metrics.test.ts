import { describe, expect, it } from "vitest";
import { PriceTable } from "../../src/pricing/price-table.js";
import { applyRoutingPolicy, defaultPolicy, estimateCosts, pairScore } from "../../src/routing/learned/apply-routing-policy.js";
import { fitRasch } from "../../src/learning/training/rasch-fit.js";
import { SeededRandom } from "../../src/routing/learned/seeded-random.js";
import { apgr, cpt, foldsOf, rocAuc } from "../../src/learning/training/validation-metrics.js";

describe("apgr", () => {
  it("matches a hand-computed case: the one strong-only win routed first", () => {
    // weak 0,1,1,0; strong 1,1,1,0 → gap 1 (row 0). Routing row 0 first recovers it at x = 1/4.
    const value = apgr([0.9, 0.1, 0.2, 0.3], [0, 1, 1, 0], [1, 1, 1, 0]);
    // PGR: 0 at x=0, 1 from x=1/4 → area = 1/8 + 3/4 = 0.875
    expect(value).toBeCloseTo(0.875, 10);
  });

  it("gives 0.5 when every score ties (random order interpolated)", () => {
    expect(apgr([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 0], [1, 1, 1, 0])).toBeCloseTo(0.5, 10);
  });
});

describe("rocAuc", () => {
  it("is 1 for a perfect ranking, 0.5 with ties, and counts ties half", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.5, 0.5], [false, true])).toBe(0.5);
    expect(rocAuc([0.1, 0.5, 0.5], [false, false, true])).toBeCloseTo(0.75, 10);
  });
});

describe("foldsOf and SeededRandom", () => {
  it("assign balanced folds deterministically per seed", () => {
    const a = foldsOf(103, 5, 7);
    expect(Array.from(a)).toEqual(Array.from(foldsOf(103, 5, 7)));
    const sizes = [0, 1, 2, 3, 4].map((f) => a.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Array.from(new SeededRandom(3).permutation(10))).toEqual(Array.from(new SeededRandom(3).permutation(10)));
  });
});

describe("routing policies", () => {
  const models = ["small", "large"];
  it("threshold: routes to the large model when (1 + q_large − q_small)/2 ≥ threshold", () => {
    expect(pairScore([0.4, 0.8], 0, 1)).toBeCloseTo(0.7, 10);
    const policy = { kind: "threshold" as const, small: "small", large: "large", threshold: 0.7 };
    expect(applyRoutingPolicy(models, [0.4, 0.8], policy, [0, 0]).index).toBe(1);
    expect(applyRoutingPolicy(models, [0.41, 0.8], policy, [0, 0]).index).toBe(0);
  });

  it("cost-penalty: argmax quality − λ·cost, score = chosen cost / highest cost", () => {
    const trio = ["a", "b", "c"];
    const costs = [1, 2, 10];
    expect(applyRoutingPolicy(trio, [0.5, 0.6, 0.9], { kind: "cost-penalty", lambda: 0 }, costs)).toMatchObject({ index: 2, score: 1 });
    expect(applyRoutingPolicy(trio, [0.5, 0.6, 0.9], { kind: "cost-penalty", lambda: 0.05 }, costs)).toMatchObject({
      index: 1,
      score: 0.2,
    });
  });

  it("estimates cost per 1,000 requests from characters / 4 and prices per 1M tokens", () => {
    const [cost] = estimateCosts(["m"], 4000, [2000], PriceTable.fromRecord({ m: { input: 1, output: 2 } }));
    expect(cost).toBeCloseTo((1000 * (1000 * 1 + 500 * 2)) / 1e6, 10);
  });

  it("default pair policy puts the cheaper model first", () => {
    expect(
      defaultPolicy(["x", "y"], [0.9, 0.5], PriceTable.fromRecord({ x: { input: 1, output: 1 }, y: { input: 5, output: 5 } })),
    ).toMatchObject({
      small: "x",
      large: "y",
      threshold: 0.5,
    });
    expect(defaultPolicy(["x", "y", "z"], [0, 0, 0], undefined)).toEqual({ kind: "cost-penalty", lambda: 0 });
  });
});

describe("fitRasch", () => {
  it("recovers the order of abilities and difficulties", () => {
    const random = new SeededRandom(1);
    const abilities = [-1, 0, 1.5];
    const difficulties = Array.from({ length: 400 }, () => random.normal());
    const scores = new Float32Array(400 * 3);
    for (const [r, d] of difficulties.entries())
      for (const [m, a] of abilities.entries()) scores[r * 3 + m] = random.next() < 1 / (1 + Math.exp(d - a)) ? 1 : 0;
    const fit = fitRasch(scores, 400, 3);
    expect((fit.ability[0] ?? 0) < (fit.ability[1] ?? 0) && (fit.ability[1] ?? 0) < (fit.ability[2] ?? 0)).toBe(true);
    const hard = difficulties.map((d, r) => [d, fit.difficulty[r] ?? 0] as const).filter(([d]) => d > 1);
    const easy = difficulties.map((d, r) => [d, fit.difficulty[r] ?? 0] as const).filter(([d]) => d < -1);
    const avg = (xs: ReadonlyArray<readonly [number, number]>) => xs.reduce((s, [, f]) => s + f, 0) / xs.length;
    expect(avg(hard)).toBeGreaterThan(avg(easy));
  });
});

describe("CPT", () => {
  it("is the share of strong calls, best-scored rows first, at which the gap's given share is recovered", () => {
    // gap 2 (rows 0 and 1 gain 1 each); routing row 0 first recovers 50% at 1 of 4 rows.
    expect(cpt([0.9, 0.8, 0.1, 0.2], [0, 0, 1, 1], [1, 1, 1, 1], 0.5)).toBeCloseTo(0.25, 12);
    // a tie block of all four rows: interpolated linearly, 50% at half the calls.
    expect(cpt([0.5, 0.5, 0.5, 0.5], [0, 0, 1, 1], [1, 1, 1, 1], 0.5)).toBeCloseTo(0.5, 12);
    expect(cpt([0.5, 0.5], [1, 1], [1, 1], 0.5)).toBeNaN();
  });
});
