import type { QualityGate } from "./quality-gate.js";

export interface ConsistencyGateOptions {
  samples: number;
  temperature: number;
  minAgreement: number;
}

/**
 * Self-consistency: `samples` more answers from the same tier (each a `sample` attempt);
 * passes when at least `minAgreement` of them agree with the answer. Answers are compared by
 * `answerKey`: canonical JSON for JSON, else the final number of a long answer (math), else
 * the normalised text.
 */
export function consistencyGate(options: ConsistencyGateOptions): QualityGate {
  return {
    name: "consistency",
    needsLogprobs: false,
    earlyTokens: undefined,
    async evaluate(input, services) {
      const sampleRequest = { ...input.request, temperature: options.temperature, stream: false, n: 1, logprobs: false };
      delete sampleRequest.top_logprobs;
      const settled = await Promise.allSettled(
        Array.from({ length: options.samples }, () => services.generate(input.tier, sampleRequest, "sample")),
      );
      const key = answerKey(input.text);
      let answered = 0;
      let agreeing = 0;
      for (const s of settled) {
        if (s.status !== "fulfilled") continue;
        answered++;
        if (answerKey(s.value.text) === key) agreeing++;
      }
      if (answered === 0) return { pass: false, score: 0, reason: "consistency: no sample could be drawn" };
      const agreement = agreeing / answered;
      const reason = `consistency: ${agreeing}/${answered} samples agree (need ${options.minAgreement})`;
      return { pass: agreement >= options.minAgreement, score: agreement, reason };
    },
  };
}

/** What two answers must share to count as the same answer. */
export function answerKey(text: string): string {
  const trimmed = text.trim();
  try {
    return `json:${canonicalJson(JSON.parse(trimmed))}`;
  } catch {
    // not JSON
  }
  const normalised = trimmed
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[.!?。]+$/, "");
  if (normalised.length <= 120) return `text:${normalised}`;
  const numbers = normalised.match(/-?\d[\d,]*(?:\.\d+)?/g);
  const last = numbers?.at(-1);
  return last ? `number:${last.replaceAll(",", "")}` : `text:${normalised.slice(0, 120)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
