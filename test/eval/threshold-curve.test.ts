import { describe, expect, it } from "vitest";
import { thresholdCurve } from "../../src/learning/eval/metrics/threshold-curve.js";
import { fourRowPair } from "./make-replay-table.js";

describe("thresholdCurve", () => {
  const { table, scores } = fourRowPair();
  const pair = { small: 0, large: 1 };

  it("sweeps every distinct score, from no large call to all large calls, with deployable thresholds", () => {
    const curve = thresholdCurve(table, scores, pair, { points: "all" });
    expect(curve.map((p) => p.largeShare)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(curve.map((p) => p.quality)).toEqual([0.25, 0.5, 0.75, 0.75, 0.75]);
    expect(curve.map((p) => p.param)).toEqual([0.95, 0.8, 0.55, 0.25, 0]);
    // cost per 1,000: small 1.0 USD, large 10.0 USD per 1,000 requests.
    expect(curve[0]!.costPer1k).toBeCloseTo(1);
    expect(curve[2]!.costPer1k).toBeCloseTo(5.5);
    expect(curve[4]!.costPer1k).toBeCloseTo(10);
  });

  it("applies each threshold as 'score ≥ threshold goes large'", () => {
    const curve = thresholdCurve(table, scores, pair, { points: "all" });
    for (const point of curve) {
      const large = scores.filter((s) => s >= point.param).length / scores.length;
      expect(large).toBe(point.largeShare);
    }
  });

  it("reproduces RouteLLM's quantile sweep (pd.qcut edges, the last one strict)", () => {
    const curve = thresholdCurve(table, scores, pair, { points: 2 });
    expect(curve.map((p) => p.param)).toEqual([0.9, 0.55, 0.1]);
    expect(curve.map((p) => p.largeShare)).toEqual([0, 0.5, 1]);
    expect(curve.map((p) => p.quality)).toEqual([0.25, 0.75, 0.75]);
  });

  it("keeps tied scores together (one point per distinct score)", () => {
    const curve = thresholdCurve(table, [0.5, 0.5, 0.5, 0.2], pair, { points: "all" });
    expect(curve.map((p) => p.largeShare)).toEqual([0, 0.75, 1]);
  });
});
