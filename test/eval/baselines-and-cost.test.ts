import { describe, expect, it } from "vitest";
import { alwaysModel, bestModel, cheapestModel, oracleChoices, oraclePoint } from "../../src/learning/eval/metrics/baselines.js";
import { costPer1k } from "../../src/learning/eval/metrics/request-cost.js";
import { tokensOfChars } from "../../src/pricing/estimate-tokens.js";
import { PriceTable } from "../../src/pricing/price-table.js";
import { fourRowPair, makeReplayTable } from "./make-replay-table.js";

describe("request cost from a price table", () => {
  it("estimates tokens as characters / 4 for prompt and answer", () => {
    expect(tokensOfChars(400)).toBe(100);
    // 100 prompt tokens × $10/M + 200 answer tokens × $30/M = $0.007.
    expect(PriceTable.fromRecord({ m: { input: 10, output: 30 } }).costOfChars("m", 400, 800)).toBeCloseTo(0.007, 12);
    expect(costPer1k(0.014, 2)).toBeCloseTo(7, 12);
  });
});

describe("baselines", () => {
  const { table } = fourRowPair();

  it("always-small and always-large are the models' mean score and cost", () => {
    expect(alwaysModel(table, 0, 1)).toMatchObject({ quality: 0.25, largeShare: 0 });
    expect(alwaysModel(table, 1, 1)).toMatchObject({ quality: 0.75, largeShare: 1 });
    expect(alwaysModel(table, 1, 1).costPer1k).toBeCloseTo(10, 12);
  });

  it("the oracle takes the cheapest model among the best-scoring ones per row", () => {
    expect([...oracleChoices(table)]).toEqual([0, 1, 1, 0]);
    const oracle = oraclePoint(table, 1);
    expect(oracle.quality).toBe(0.75);
    expect(oracle.largeShare).toBe(0.5);
    expect(oracle.costPer1k).toBeCloseTo(5.5, 12);
  });

  it("finds the best-quality and the cheapest model of a pool", () => {
    const pool = makeReplayTable(
      ["a", "b", "c"],
      [
        [0, 1],
        [1, 1],
        [1, 0],
      ],
      [
        [3, 3],
        [2, 2],
        [1, 1],
      ],
    );
    expect(bestModel(pool)).toBe(1);
    expect(cheapestModel(pool)).toBe(2);
  });
});
