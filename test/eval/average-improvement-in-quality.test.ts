import { describe, expect, it } from "vitest";
import { averageImprovementInQuality } from "../../src/learning/eval/metrics/average-improvement-in-quality.js";
import { nonDecreasingConvexHull } from "../../src/learning/eval/metrics/non-decreasing-convex-hull.js";

const points = [
  { cost: 0, quality: 0.2 },
  { cost: 1, quality: 0.6 },
  { cost: 2, quality: 0.5 },
  { cost: 3, quality: 0.9 },
  { cost: 4, quality: 0.8 },
];

describe("nonDecreasingConvexHull (RouterBench NDCH)", () => {
  it("keeps the upper hull and cuts it where quality stops rising", () => {
    expect(nonDecreasingConvexHull(points)).toEqual([points[0], points[1], points[3]]);
  });

  it("drops a point under the chord of its neighbours", () => {
    const hull = nonDecreasingConvexHull([
      { cost: 0, quality: 0 },
      { cost: 1, quality: 0.4 },
      { cost: 2, quality: 1 },
    ]);
    expect(hull.map((p) => p.cost)).toEqual([0, 2]);
  });
});

describe("averageImprovementInQuality (RouterBench AIQ)", () => {
  it("is the hull's area over the cost range divided by the range (hand-computed 2.8 / 4)", () => {
    // [0,1]: (0.2+0.6)/2 = 0.4; [1,3]: 2 × 0.75 = 1.5; [3,4]: flat at 0.9 → 2.8.
    expect(averageImprovementInQuality(points, { min: 0, max: 4 })).toBeCloseTo(0.7, 12);
  });

  it("integrates only inside the range", () => {
    // [0.5,1]: 0.5 × (0.4+0.6)/2 = 0.25; + 1.5 + 0.9 = 2.65 over 3.5.
    expect(averageImprovementInQuality(points, { min: 0.5, max: 4 })).toBeCloseTo(2.65 / 3.5, 12);
  });

  it("counts nothing below a router's cheapest operating point", () => {
    const late = [
      { cost: 1, quality: 0.6 },
      { cost: 3, quality: 0.9 },
    ];
    expect(averageImprovementInQuality(late, { min: 0, max: 3 })).toBeCloseTo(0.5, 12);
  });

  it("is null on an empty range", () => {
    expect(averageImprovementInQuality(points, { min: 2, max: 2 })).toBeNull();
  });
});
