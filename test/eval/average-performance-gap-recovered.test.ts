import { describe, expect, it } from "vitest";
import { averagePerformanceGapRecovered } from "../../src/learning/eval/metrics/average-performance-gap-recovered.js";
import { alwaysModel, randomLine } from "../../src/learning/eval/metrics/baselines.js";
import type { CurvePoint } from "../../src/learning/eval/metrics/curve-point.js";
import { thresholdCurve } from "../../src/learning/eval/metrics/threshold-curve.js";
import { apgr as trainingApgr } from "../../src/learning/training/validation-metrics.js";
import { fourRowPair, makeReplayTable } from "./make-replay-table.js";

const flat = (quality: number): CurvePoint[] =>
  [0, 0.5, 1].map((largeShare) => ({ param: 1 - largeShare, quality, costPer1k: 0, largeShare }));

describe("averagePerformanceGapRecovered (RouteLLM APGR)", () => {
  it("is 1 for a curve at the large model's quality everywhere (always-large quality) and 0 at the small model's", () => {
    expect(averagePerformanceGapRecovered(flat(0.8), 0.6, 0.8)).toBe(1);
    expect(averagePerformanceGapRecovered(flat(0.6), 0.6, 0.8)).toBe(0);
  });

  it("is exactly 0.5 on the random router's expected line", () => {
    const { table } = fourRowPair();
    const line = randomLine(alwaysModel(table, 0, 1), alwaysModel(table, 1, 1));
    expect(averagePerformanceGapRecovered(line, 0.25, 0.75)).toBeCloseTo(0.5, 12);
  });

  it("is about 0.5 for random scores over many rows (seeded)", () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 4000;
    const small: number[] = Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0));
    const large: number[] = small.map((s) => (s === 1 || random() < 0.6 ? 1 : 0));
    const table = makeReplayTable(["s", "l"], [small, large], [small.map(() => 1), large.map(() => 2)]);
    const scores = Array.from({ length: n }, () => random());
    const weak = small.reduce((a, b) => a + b, 0) / n;
    const strong = large.reduce((a, b) => a + b, 0) / n;
    const apgr = averagePerformanceGapRecovered(thresholdCurve(table, scores, { small: 0, large: 1 }, { points: "all" }), weak, strong);
    expect(apgr).toBeGreaterThan(0.45);
    expect(apgr).toBeLessThan(0.55);
  });

  it("is 0.75 on the 4-row hand example (PGR 0, .5, 1, 1, 1 at shares 0, .25, .5, .75, 1)", () => {
    const { table, scores } = fourRowPair();
    const curve = thresholdCurve(table, scores, { small: 0, large: 1 }, { points: "all" });
    expect(averagePerformanceGapRecovered(curve, 0.25, 0.75)).toBeCloseTo(0.75, 12);
    const routellm = thresholdCurve(table, scores, { small: 0, large: 1 }, { points: 2 });
    expect(averagePerformanceGapRecovered(routellm, 0.25, 0.75)).toBeCloseTo(0.75, 12);
  });

  it("is null when both models score the same (no gap to recover)", () => {
    expect(averagePerformanceGapRecovered(flat(0.5), 0.5, 0.5)).toBeNull();
  });

  it("on the exact curve equals the APGR `rightsize train` and the benchmark print (validation-metrics), ties included", () => {
    let seed = 99;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 500;
    const small: number[] = Array.from({ length: n }, () => (random() < 0.4 ? 1 : 0));
    const large: number[] = Array.from({ length: n }, () => (random() < 0.7 ? 1 : 0));
    const scores = Array.from({ length: n }, () => Math.round(random() * 20) / 20); // many ties
    const table = makeReplayTable(["s", "l"], [small, large], [small.map(() => 1), large.map(() => 2)]);
    const weak = small.reduce((a, b) => a + b, 0) / n;
    const strong = large.reduce((a, b) => a + b, 0) / n;
    const ours = averagePerformanceGapRecovered(thresholdCurve(table, scores, { small: 0, large: 1 }, { points: "all" }), weak, strong);
    expect(ours).toBeCloseTo(trainingApgr(scores, small, large), 12);
  });
});
