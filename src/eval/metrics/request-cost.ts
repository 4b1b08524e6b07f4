import type { ModelPrice } from "../../pricing/price-table.js";

/** USD per 1M tokens per model, as in `../shared/data/prices.json`. */
export type PriceTable = Record<string, ModelPrice>;

/**
 * Tokens estimated from characters where only characters are known: about 4 characters a token
 * (unrounded: replay averages over many rows, unlike `pricing/estimate-tokens`).
 */
export function estimateTokens(chars: number): number {
  return chars / 4;
}

/** Cost in USD of one request: prompt tokens at the input price plus answer tokens at the output price. */
export function requestCostUsd(promptChars: number, outputChars: number, price: ModelPrice): number {
  return (estimateTokens(promptChars) * price.input + estimateTokens(outputChars) * price.output) / 1_000_000;
}

/** Mean cost in USD of one request × 1,000: the unit every report and target uses. */
export function costPer1k(totalUsd: number, requests: number): number {
  return requests === 0 ? 0 : (totalUsd / requests) * 1000;
}
