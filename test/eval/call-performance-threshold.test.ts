import { describe, expect, it } from "vitest";
import {
  bestQualityWithinCost,
  callPerformanceThreshold,
  costAtQuality,
} from "../../src/learning/eval/metrics/call-performance-threshold.js";
import { thresholdCurve } from "../../src/learning/eval/metrics/threshold-curve.js";
import { fourRowPair } from "./make-replay-table.js";

describe("callPerformanceThreshold (RouteLLM CPT)", () => {
  const { table, scores } = fourRowPair();
  const curve = thresholdCurve(table, scores, { small: 0, large: 1 }, { points: "all" });

  it("CPT(50%) is the share of large calls where the curve reaches the gap's midpoint", () => {
    // target 0.25 + 0.5 × 0.5 = 0.5, reached exactly at 25% large calls.
    expect(callPerformanceThreshold(curve, 0.25, 0.75, 0.5)).toBeCloseTo(0.25, 12);
  });

  it("CPT(80%) interpolates linearly between curve points", () => {
    // target 0.65 lies 60% of the way from (0.25, 0.5) to (0.5, 0.75): 0.25 + 0.6 × 0.25 = 0.4.
    expect(callPerformanceThreshold(curve, 0.25, 0.75, 0.8)).toBeCloseTo(0.4, 12);
  });

  it("is null when the curve never reaches the target", () => {
    expect(callPerformanceThreshold(curve, 0.25, 0.9, 1)).toBeNull();
  });

  it("costAtQuality reads the same crossing on the cost axis", () => {
    // 0.65 is reached between costs 3.25 and 5.5 per 1,000 at 60%: 3.25 + 0.6 × 2.25 = 4.6.
    expect(costAtQuality(curve, 0.65)).toBeCloseTo(4.6, 9);
  });

  it("bestQualityWithinCost takes the best point within a budget", () => {
    // costs per 1,000: 1, 3.25, 5.5, 7.75, 10 with qualities .25, .5, .75, .75, .75.
    expect(bestQualityWithinCost(curve, 5)).toBe(0.5);
    expect(bestQualityWithinCost(curve, 5.5)).toBe(0.75);
    expect(bestQualityWithinCost(curve, 0.5)).toBeNull();
  });
});
