import type { PriceTable } from "../../pricing/price-table.js";
import type { RoutingPolicy } from "./quality-predictor.js";

/**
 * The score of a pair decision, in [0,1]: (1 + q_large − q_small) / 2, the predicted gain of
 * the large model mapped to [0,1]. A threshold policy routes to the large model when
 * score ≥ threshold; calibration and evaluation sweep thresholds over this score.
 */
export function pairScore(qualities: readonly number[], smallIndex: number, largeIndex: number): number {
  const gain = (qualities[largeIndex] ?? 0) - (qualities[smallIndex] ?? 0);
  return Math.min(1, Math.max(0, (1 + gain) / 2));
}

/**
 * Expected cost of one request per model, in USD per 1,000 requests: prompt tokens ≈ prompt
 * characters / 4 at the input price, answer tokens ≈ the model's mean answer characters / 4
 * at the output price (USD per 1M tokens). A model without a price costs 0.
 */
export function estimateCosts(
  models: readonly string[],
  promptChars: number,
  meanOutputChars: readonly number[],
  prices: PriceTable | undefined,
): number[] {
  return models.map((model, i) => 1000 * (prices?.costOfChars(model, promptChars, meanOutputChars[i] ?? 0) ?? 0));
}

export interface PolicyChoice {
  /** Index into the predictor's models. */
  index: number;
  /** In [0,1]: how strongly the request needs the large (expensive) model. */
  score: number;
  /** A short sentence about the rule applied. */
  rule: string;
}

/** Turns predicted qualities into a choice under a routing policy. */
export function applyRoutingPolicy(
  models: readonly string[],
  qualities: readonly number[],
  policy: RoutingPolicy,
  costs: readonly number[],
): PolicyChoice {
  if (policy.kind === "single") {
    const index = models.indexOf(policy.model);
    if (index < 0) throw new Error(`policy names ${policy.model}, not among the models ${models.join(", ")}`);
    return { index, score: 1, rule: `calibrated fallback: every request to ${policy.model}, the best single model (routing did not pay)` };
  }
  if (policy.kind === "threshold") {
    const small = models.indexOf(policy.small);
    const large = models.indexOf(policy.large);
    if (small < 0 || large < 0)
      throw new Error(`policy names ${policy.small} / ${policy.large}, not among the models ${models.join(", ")}`);
    const score = pairScore(qualities, small, large);
    const index = score >= policy.threshold ? large : small;
    return { index, score, rule: `score ${score.toFixed(3)} ${index === large ? "≥" : "<"} threshold ${policy.threshold}` };
  }
  let best = 0;
  let bestValue = -Infinity;
  qualities.forEach((quality, i) => {
    const value = quality - policy.lambda * (costs[i] ?? 0);
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  });
  const maxCost = Math.max(0, ...costs);
  const score = maxCost > 0 ? (costs[best] ?? 0) / maxCost : 0;
  return { index: best, score, rule: `argmax quality − ${policy.lambda}·cost ($/1k requests) = ${bestValue.toFixed(3)}` };
}

/** The policy used when neither calibration nor settings give one. */
export function defaultPolicy(models: readonly string[], meanScores: readonly number[], prices: PriceTable | undefined): RoutingPolicy {
  if (models.length !== 2) return { kind: "cost-penalty", lambda: 0 };
  const [a = "", b = ""] = models;
  const [priceA, priceB] = [a, b].map((model) => {
    const price = prices?.priceOf(model);
    return price ? price.input + price.output : undefined;
  });
  const aIsSmall =
    priceA !== undefined && priceB !== undefined && priceA !== priceB ? priceA < priceB : (meanScores[0] ?? 0) <= (meanScores[1] ?? 0);
  return { kind: "threshold", small: aIsSmall ? a : b, large: aIsSmall ? b : a, threshold: 0.5 };
}
