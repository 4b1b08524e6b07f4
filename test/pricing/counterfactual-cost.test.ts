import { describe, expect, it } from "vitest";
import { counterfactualCost } from "../../src/pricing/counterfactual-cost.js";
import { PriceTable } from "../../src/pricing/price-table.js";

const prices = PriceTable.fromRecord({
  small: { input: 0.1, output: 0.4 },
  large: { input: 5, output: 15 },
});

describe("counterfactualCost", () => {
  it("prices every logged token on the most expensive model and reports the savings", () => {
    const rows = [
      // small: 1M × 0.1 + 0.5M × 0.4 = 0.3 USD actual
      { promptTokens: 1_000_000, completionTokens: 500_000, costUsd: 0.3 },
      // large: 0.2M × 5 + 0.1M × 15 = 2.5 USD actual
      { promptTokens: 200_000, completionTokens: 100_000, costUsd: 2.5 },
    ];
    const result = counterfactualCost(rows, prices);
    expect(result?.reference.id).toBe("large");
    expect(result?.actualUsd).toBeCloseTo(2.8, 12);
    // on large: 1.2M × 5 + 0.6M × 15 = 6 + 9 = 15 USD
    expect(result?.counterfactualUsd).toBeCloseTo(15, 12);
    expect(result?.savingsUsd).toBeCloseTo(12.2, 12);
    expect(result?.savingsPct).toBeCloseTo((12.2 / 15) * 100, 10);
  });

  it("reports 0 % savings when nothing was spent or could have been", () => {
    expect(counterfactualCost([], prices)).toMatchObject({ actualUsd: 0, counterfactualUsd: 0, savingsPct: 0 });
  });

  it("is undefined without any priced model", () => {
    expect(counterfactualCost([{ promptTokens: 1, completionTokens: 1, costUsd: 0 }], new PriceTable([]))).toBeUndefined();
  });
});
