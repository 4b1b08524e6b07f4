import { describe, expect, it } from "vitest";
import { choicesAtLambda, lambdaCurve } from "../../src/learning/eval/metrics/lambda-curve.js";
import { makeReplayTable } from "./make-replay-table.js";

// Three models A, B, C with decision costs 1, 2, 4 (per 1,000 requests).
const inputs = {
  predicted: [Float64Array.from([0.2, 0.5]), Float64Array.from([0.6, 0.5]), Float64Array.from([0.7, 0.9])],
  decisionCost: [Float64Array.from([1, 1]), Float64Array.from([2, 2]), Float64Array.from([4, 4])],
};
const table = makeReplayTable(
  ["A", "B", "C"],
  [
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  [
    [0.001, 0.001],
    [0.002, 0.002],
    [0.004, 0.004],
  ],
);

describe("lambdaCurve (N models: argmax predicted − λ·cost)", () => {
  it("walks every breakpoint of the upper envelopes (hand-computed: 0.05, 0.133…, 0.4)", () => {
    const curve = lambdaCurve(table, inputs, 2);
    expect(curve.map((p) => p.quality)).toEqual([1, 1, 1, 0.5]);
    expect(curve.map((p) => p.costPer1k)).toEqual([4, 3, 1.5, 1]);
    expect(curve.map((p) => p.largeShare)).toEqual([1, 0.5, 0, 0]);
    expect(curve[0]!.param).toBe(0);
    expect(curve[1]!.param).toBeCloseTo((0.05 + 0.4 / 3) / 2, 12);
    expect(curve[2]!.param).toBeCloseTo((0.4 / 3 + 0.4) / 2, 12);
    expect(curve[3]!.param).toBeCloseTo(0.6, 12); // past the last breakpoint: 1.5 × 0.4
  });

  it("each point's λ reproduces that point's choices", () => {
    const curve = lambdaCurve(table, inputs, 2);
    expect([...choicesAtLambda(inputs, curve[1]!.param)]).toEqual([1, 2]);
    expect([...choicesAtLambda(inputs, curve[2]!.param)]).toEqual([1, 0]);
    expect([...choicesAtLambda(inputs, curve[3]!.param)]).toEqual([0, 0]);
  });
});
