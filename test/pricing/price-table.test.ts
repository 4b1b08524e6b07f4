import { describe, expect, it } from "vitest";
import { PriceTable, tokenCost } from "../../src/pricing/price-table.js";

const table = new PriceTable([
  { id: "small", price: { input: 0.15, output: 0.6 } },
  { id: "large", price: { input: 2.5, output: 10 } },
  { id: "reasoner", price: { input: 3, output: 10 } },
  { id: "free", price: { input: 0, output: 0 } },
]);

describe("PriceTable", () => {
  it("prices usage per 1M tokens: prompt × input + completion × output", () => {
    // 1,000 × 2.5 / 1M + 500 × 10 / 1M = 0.0025 + 0.005
    expect(table.costOf("large", { prompt_tokens: 1_000, completion_tokens: 500, total_tokens: 1_500 })).toBeCloseTo(0.0075, 15);
    // 2M × 0.15 / 1M + 1M × 0.6 / 1M = 0.3 + 0.6
    expect(table.costOf("small", { promptTokens: 2_000_000, completionTokens: 1_000_000 })).toBeCloseTo(0.9, 12);
    expect(table.costOf("free", { promptTokens: 10, completionTokens: 10 })).toBe(0);
  });

  it("costs 0 for a model it does not know, and says it does not know it", () => {
    expect(table.costOf("retired", { promptTokens: 1_000, completionTokens: 1_000 })).toBe(0);
    expect(table.has("retired")).toBe(false);
    expect(table.priceOf("retired")).toBeUndefined();
  });

  it("finds the most expensive model by output price, then input price", () => {
    expect(table.mostExpensive()?.id).toBe("reasoner");
    expect(new PriceTable([]).mostExpensive()).toBeUndefined();
  });

  it("keeps the first configured model on a full tie", () => {
    const tie = PriceTable.fromRecord({ a: { input: 1, output: 2 }, b: { input: 1, output: 2 } });
    expect(tie.mostExpensive()?.id).toBe("a");
    expect(tie.models.map((m) => m.id)).toEqual(["a", "b"]);
  });

  it("tokenCost accepts both the wire and the log shape", () => {
    const price = { input: 1, output: 4 };
    expect(tokenCost(price, { prompt_tokens: 3, completion_tokens: 2 })).toBeCloseTo(11e-6, 18);
    expect(tokenCost(price, { promptTokens: 3, completionTokens: 2 })).toBeCloseTo(11e-6, 18);
  });
});
