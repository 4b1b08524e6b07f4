import { describe, expect, it } from "vitest";
import { calibrateRouter } from "../../src/learning/calibration/calibrate-router.js";
import { parseCalibrationTarget } from "../../src/learning/calibration/calibration-target.js";
import { costPenaltyRouterReplay } from "../../src/learning/eval/replay/cost-penalty-router-replay.js";
import { thresholdRouterReplay } from "../../src/learning/eval/replay/threshold-router-replay.js";
import { makeReplayTable } from "../eval/make-replay-table.js";
import { syntheticPair } from "./synthetic-pair.js";

const { table, scores } = syntheticPair(3000, 11);
const router = thresholdRouterReplay("synthetic", table, scores, { small: 0, large: 1 });
const largeScores = table.scores[1]!;
const options = { seed: 5, resamples: 300, now: "2026-01-01T00:00:00.000Z" };

function expectIntervalsContainPoints(figures: Record<string, { value: number; low: number; high: number }>): void {
  for (const [name, e] of Object.entries(figures)) {
    expect(e.low, name).toBeLessThanOrEqual(e.value);
    expect(e.high, name).toBeGreaterThanOrEqual(e.value);
  }
}

describe("calibrateRouter on a pair", () => {
  it("large-share=0.3 sends at most, and about, 30% of requests to the large model", () => {
    const result = calibrateRouter(router, largeScores, parseCalibrationTarget("large-share=0.3"), options);
    expect(result.met).toBe(true);
    expect(result.figures.largeShare.value).toBeLessThanOrEqual(0.3);
    expect(result.figures.largeShare.value).toBeGreaterThan(0.299);
    expectIntervalsContainPoints(result.operatingPoint.expected);
    const policy = result.operatingPoint.policy;
    expect(policy.kind).toBe("threshold");
    if (policy.kind === "threshold") {
      // The written threshold reproduces the share on the calibration rows.
      expect(Array.from(scores).filter((s) => s >= policy.threshold).length / scores.length).toBe(result.figures.largeShare.value);
      expect(policy).toMatchObject({ small: "small", large: "large" });
    }
  });

  it("cost-per-1k stays within the budget and takes the best quality under it", () => {
    const result = calibrateRouter(router, largeScores, parseCalibrationTarget("cost-per-1k=2"), options);
    expect(result.met).toBe(true);
    expect(result.figures.costPer1k.value).toBeLessThanOrEqual(2);
    const better = router.curve.filter((p) => p.costPer1k <= 2 && p.quality > result.figures.quality.value);
    expect(better).toEqual([]);
    expectIntervalsContainPoints(result.operatingPoint.expected);
  });

  it("quality-floor=0.95 reaches 95% of the large model's quality at the lowest cost that does", () => {
    const result = calibrateRouter(router, largeScores, parseCalibrationTarget("quality-floor=0.95"), options);
    expect(result.met).toBe(true);
    expect(result.figures.qualityVsLarge.value).toBeGreaterThanOrEqual(0.95);
    expect(result.figures.costPer1k.value).toBeLessThan(4);
    expectIntervalsContainPoints(result.operatingPoint.expected);
    expect(result.operatingPoint).toMatchObject({ target: { kind: "quality-floor", value: 0.95 }, rows: 3000, calibratedAt: options.now });
  });

  it("gives the same intervals for the same seed and different ones for another seed", () => {
    const target = parseCalibrationTarget("large-share=0.5");
    const a = calibrateRouter(router, largeScores, target, options);
    const b = calibrateRouter(router, largeScores, target, options);
    const c = calibrateRouter(router, largeScores, target, { ...options, seed: 6 });
    expect(a.operatingPoint.expected).toEqual(b.operatingPoint.expected);
    expect(c.operatingPoint.expected.quality!.low).not.toBe(a.operatingPoint.expected.quality!.low);
  });

  it("says so when a target cannot be met and returns the nearest point", () => {
    const result = calibrateRouter(router, largeScores, parseCalibrationTarget("cost-per-1k=0.01"), options);
    expect(result.met).toBe(false);
    expect(result.note).toMatch(/cheapest point costs 0\.2000 USD/);
  });

  it("only writes thresholds in [0,1]: with scores of 1, no threshold sends nothing to the large model", () => {
    const withOnes = Float64Array.from(scores, (s, i) => (i % 100 === 0 ? 1 : s));
    const replay = thresholdRouterReplay("ones", table, withOnes, { small: 0, large: 1 });
    const result = calibrateRouter(replay, largeScores, parseCalibrationTarget("large-share=0"), options);
    expect(result.met).toBe(false);
    expect(result.figures.largeShare.value).toBeCloseTo(0.01, 12);
    const policy = result.operatingPoint.policy;
    expect(policy.kind === "threshold" && policy.threshold > 0.99 && policy.threshold <= 1).toBe(true);
  });
});

describe("calibrateRouter on N models", () => {
  it("chooses λ for a cost budget and writes a cost-penalty policy", () => {
    const pool = makeReplayTable(
      ["a", "b", "c"],
      [
        [0, 1, 0, 1],
        [1, 1, 0, 1],
        [1, 1, 1, 1],
      ],
      [
        [0.001, 0.001, 0.001, 0.001],
        [0.002, 0.002, 0.002, 0.002],
        [0.004, 0.004, 0.004, 0.004],
      ],
    );
    const predicted = pool.scores.map((s) => Float64Array.from(s, (v) => v * 0.8 + 0.1));
    const decisionCost = pool.costs.map((c) => Float64Array.from(c, (v) => v * 1000));
    const nRouter = costPenaltyRouterReplay("n", pool, { predicted, decisionCost }, 2);
    const result = calibrateRouter(nRouter, pool.scores[2]!, parseCalibrationTarget("cost-per-1k=2"), options);
    expect(result.met).toBe(true);
    expect(result.figures.costPer1k.value).toBeLessThanOrEqual(2);
    expect(result.figures.quality.value).toBe(1);
    expect(result.operatingPoint.policy.kind).toBe("cost-penalty");
  });
});

describe("parseCalibrationTarget", () => {
  it("rejects unknown kinds and out-of-range values with a message naming them", () => {
    expect(() => parseCalibrationTarget("latency=3")).toThrow(/must be one of large-share=NUMBER/);
    expect(() => parseCalibrationTarget("large-share=1.5")).toThrow(/between 0 and 1/);
    expect(() => parseCalibrationTarget("cost-per-1k=abc")).toThrow(/not a non-negative number/);
  });
});
