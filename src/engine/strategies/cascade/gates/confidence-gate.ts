import type { TokenLogprob } from "../../../../core/chat-result.js";
import type { GateVerdict, QualityGate } from "./quality-gate.js";

export interface ConfidenceGateOptions {
  minMeanLogprob?: number;
  minTokenLogprob?: number;
  maxMeanEntropy?: number;
  earlyTokens?: number;
}

export interface ConfidenceStats {
  meanLogprob: number;
  minLogprob: number;
  /** Mean entropy (nats) over the tokens that carry top_logprobs; null when none do. */
  meanEntropy: number | null;
}

/** Mean and minimum token logprob and mean entropy of the top alternatives. */
export function confidenceStats(tokens: readonly TokenLogprob[]): ConfidenceStats {
  let sum = 0;
  let min = 0;
  let entropySum = 0;
  let entropyCount = 0;
  for (const t of tokens) {
    sum += t.logprob;
    min = Math.min(min, t.logprob);
    const top = t.top_logprobs;
    if (top && top.length > 0) {
      let h = 0;
      let mass = 0;
      for (const alt of top) {
        const p = Math.exp(alt.logprob);
        mass += p;
        h -= p * alt.logprob;
      }
      // The probability mass outside the listed alternatives, counted as one more outcome.
      const rest = Math.max(0, 1 - mass);
      if (rest > 1e-9) h -= rest * Math.log(rest);
      entropySum += h;
      entropyCount++;
    }
  }
  const n = Math.max(1, tokens.length);
  return { meanLogprob: sum / n, minLogprob: min, meanEntropy: entropyCount > 0 ? entropySum / entropyCount : null };
}

/**
 * Token-logprob confidence: passes when the mean logprob, the weakest token and the mean
 * entropy are within bounds. Can decide on a stream's first `earlyTokens` tokens.
 */
export function confidenceGate(options: ConfidenceGateOptions): QualityGate {
  const minMean =
    options.minMeanLogprob ?? (options.minTokenLogprob === undefined && options.maxMeanEntropy === undefined ? -0.7 : undefined);
  const judge = (tokens: readonly TokenLogprob[]): GateVerdict => {
    if (tokens.length === 0) return { pass: false, score: 0, reason: "confidence: the tier returned no token logprobs" };
    const stats = confidenceStats(tokens);
    const failures: string[] = [];
    if (minMean !== undefined && stats.meanLogprob < minMean) failures.push(`mean logprob ${fmt(stats.meanLogprob)} < ${minMean}`);
    if (options.minTokenLogprob !== undefined && stats.minLogprob < options.minTokenLogprob) {
      failures.push(`min logprob ${fmt(stats.minLogprob)} < ${options.minTokenLogprob}`);
    }
    if (options.maxMeanEntropy !== undefined && stats.meanEntropy !== null && stats.meanEntropy > options.maxMeanEntropy) {
      failures.push(`mean entropy ${fmt(stats.meanEntropy)} > ${options.maxMeanEntropy}`);
    }
    const score = Math.exp(stats.meanLogprob);
    const summary = `mean logprob ${fmt(stats.meanLogprob)}, min ${fmt(stats.minLogprob)}${stats.meanEntropy === null ? "" : `, entropy ${fmt(stats.meanEntropy)}`} over ${tokens.length} tokens`;
    return failures.length === 0
      ? { pass: true, score, reason: `confidence: ${summary}` }
      : { pass: false, score, reason: `confidence: ${failures.join("; ")}` };
  };
  return {
    name: "confidence",
    needsLogprobs: true,
    earlyTokens: options.earlyTokens,
    evaluate: async (input) => judge(input.logprobs ?? []),
    decideEarly: (logprobs) => {
      if (options.earlyTokens === undefined || logprobs.length < options.earlyTokens) return undefined;
      const verdict = judge(logprobs);
      return { ...verdict, reason: `${verdict.reason} (decided early)` };
    },
  };
}

function fmt(x: number): string {
  return x.toFixed(3);
}
