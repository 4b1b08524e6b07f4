import type { QualityGate } from "./quality-gate.js";

export interface LengthGateOptions {
  minChars?: number;
  maxChars?: number;
  /** Fail answers that refuse (default true). */
  refusal?: boolean;
  /** Fail answers cut by max_tokens (default true). */
  truncated?: boolean;
}

/** Openings of refusals and non-answers that a larger model usually does better on. */
const REFUSAL =
  /^\s*(?:i['’]m sorry|i am sorry|sorry,|i apologi[sz]e|unfortunately,? i|as an ai\b|i (?:can(?:no|['’])t|am (?:not able|unable)|['’]m (?:not able|unable)|do(?:n['’]t| not) (?:know|have (?:enough|access)))|i['’]m not sure)/i;

/** The answer is there, not too short or long, not a refusal and not cut off. */
export function lengthRefusalGate(options: LengthGateOptions): QualityGate {
  const minChars = options.minChars ?? 1;
  return {
    name: "length",
    needsLogprobs: false,
    earlyTokens: undefined,
    async evaluate(input) {
      const text = input.text.trim();
      if (input.hasToolCalls && !text) return { pass: true, score: 1, reason: "length: a tool call, nothing to measure" };
      if (input.refusal) return { pass: false, score: 0, reason: "length: the tier refused" };
      if (text.length < minChars) return { pass: false, score: 0, reason: `length: ${text.length} characters < ${minChars}` };
      if (options.maxChars !== undefined && text.length > options.maxChars) {
        return { pass: false, score: 0.2, reason: `length: ${text.length} characters > ${options.maxChars}` };
      }
      if ((options.refusal ?? true) && REFUSAL.test(text)) return { pass: false, score: 0.1, reason: "length: the answer is a refusal" };
      if ((options.truncated ?? true) && input.finishReason === "length") {
        return { pass: false, score: 0.3, reason: "length: the answer was cut by max_tokens" };
      }
      return { pass: true, score: 1, reason: `length: ${text.length} characters, no refusal` };
    },
  };
}
