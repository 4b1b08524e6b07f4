import { describe, expect, it } from "vitest";
import { groupRows } from "../../src/learning/eval/replay/category-breakdown.js";
import { crossValidationFolds, splitInHalves } from "../../src/learning/eval/replay/cross-validation-folds.js";
import { thinCurve } from "../../src/learning/eval/replay/thin-curve.js";

describe("crossValidationFolds", () => {
  it("deals every row into exactly one of k near-equal folds, the same way for the same seed", () => {
    const folds = crossValidationFolds(103, 5, 42);
    expect(folds.map((f) => f.length).sort()).toEqual([20, 20, 21, 21, 21]);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(crossValidationFolds(103, 5, 42)).toEqual(folds);
    expect(crossValidationFolds(103, 5, 43)).not.toEqual(folds);
  });

  it("refuses fewer rows than folds and k < 2", () => {
    expect(() => crossValidationFolds(3, 5, 1)).toThrow(/3 rows cannot be split into 5 folds/);
    expect(() => crossValidationFolds(30, 1, 1)).toThrow(/folds must be an integer ≥ 2/);
  });

  it("splits rows into two disjoint halves", () => {
    const [a, b] = splitInHalves(11, 3);
    expect(a.length).toBe(5);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });
});

describe("groupRows", () => {
  it("keeps the largest categories and pools the rest", () => {
    const categories = ["a", "a", "a", "b", "b", "c", "d"];
    expect(groupRows(categories, 5)).toEqual([
      ["a", [0, 1, 2]],
      ["b", [3, 4]],
      ["c", [5]],
      ["d", [6]],
    ]);
    expect(groupRows(categories, 3)).toEqual([
      ["a", [0, 1, 2]],
      ["b", [3, 4]],
      ["(other 2 categories)", [5, 6]],
    ]);
  });
});

describe("thinCurve", () => {
  it("keeps both ends and at most max points, ordered by cost", () => {
    const curve = Array.from({ length: 1000 }, (_, i) => ({ param: i, quality: i / 1000, costPer1k: 999 - i, largeShare: 0 }));
    const thin = thinCurve(curve, 10);
    expect(thin).toHaveLength(10);
    expect(thin[0]!.costPer1k).toBe(0);
    expect(thin[9]!.costPer1k).toBe(999);
  });
});
