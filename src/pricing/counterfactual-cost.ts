import type { PriceTable, PricedModel } from "./price-table.js";
import { tokenCost } from "./price-table.js";

export interface CounterfactualCost {
  /** The most expensive configured model the traffic is priced on. */
  reference: PricedModel;
  /** What the traffic actually cost (as logged). */
  actualUsd: number;
  /** What the same token counts would have cost on `reference`. */
  counterfactualUsd: number;
  savingsUsd: number;
  /** Savings as a percentage of the counterfactual (0 when the counterfactual is 0). */
  savingsPct: number;
}

/**
 * What the logged traffic would have cost had every request gone to the most expensive
 * configured model (by output price, then input price), from the logged token counts.
 * Undefined when no model is priced. Rows are typically the request-level totals of the request
 * log's `CostSummary` (each request once, all its attempts' tokens).
 */
export function counterfactualCost(
  rows: readonly { promptTokens: number; completionTokens: number; costUsd: number }[],
  prices: PriceTable,
): CounterfactualCost | undefined {
  const reference = prices.mostExpensive();
  if (!reference) return undefined;
  let actualUsd = 0;
  let counterfactualUsd = 0;
  for (const row of rows) {
    actualUsd += row.costUsd;
    counterfactualUsd += tokenCost(reference.price, row);
  }
  const savingsUsd = counterfactualUsd - actualUsd;
  const savingsPct = counterfactualUsd > 0 ? (savingsUsd / counterfactualUsd) * 100 : 0;
  return { reference, actualUsd, counterfactualUsd, savingsUsd, savingsPct };
}
