import type { TokenLogprob } from "../../../../core/chat-result.js";
import type { GateVerdict, QualityGate } from "./quality-gate.js";

/** `all`: every gate passes (evaluated in order, stopping at the first failure). */
export function allGate(gates: readonly QualityGate[]): QualityGate {
  return {
    name: `all(${gates.map((g) => g.name).join(",")})`,
    needsLogprobs: gates.some((g) => g.needsLogprobs),
    earlyTokens: earliest(gates),
    async evaluate(input, services) {
      const reasons: string[] = [];
      let score = 1;
      for (const gate of gates) {
        const v = await gate.evaluate(input, services);
        reasons.push(v.reason);
        score = Math.min(score, v.score);
        if (!v.pass) return { pass: false, score, reason: reasons.join("; ") };
      }
      return { pass: true, score, reason: reasons.join("; ") };
    },
    decideEarly(logprobs, text) {
      const verdicts = early(gates, logprobs, text);
      const failed = verdicts.find((v) => v?.pass === false);
      if (failed) return failed;
      if (verdicts.every((v) => v?.pass)) return combine(verdicts as GateVerdict[], true);
      return undefined;
    },
  };
}

/** `any`: at least one gate passes (stops at the first pass). */
export function anyGate(gates: readonly QualityGate[]): QualityGate {
  return {
    name: `any(${gates.map((g) => g.name).join(",")})`,
    needsLogprobs: gates.some((g) => g.needsLogprobs),
    earlyTokens: earliest(gates),
    async evaluate(input, services) {
      const reasons: string[] = [];
      let score = 0;
      for (const gate of gates) {
        const v = await gate.evaluate(input, services);
        reasons.push(v.reason);
        score = Math.max(score, v.score);
        if (v.pass) return { pass: true, score, reason: reasons.join("; ") };
      }
      return { pass: false, score, reason: reasons.join("; ") };
    },
    decideEarly(logprobs, text) {
      const verdicts = early(gates, logprobs, text);
      const passed = verdicts.find((v) => v?.pass === true);
      if (passed) return passed;
      if (verdicts.every((v) => v?.pass === false)) return combine(verdicts as GateVerdict[], false);
      return undefined;
    },
  };
}

/** `weighted`: the weighted mean of the gates' scores must reach `threshold`. */
export function weightedGate(gates: readonly { gate: QualityGate; weight: number }[], threshold: number): QualityGate {
  const total = gates.reduce((s, g) => s + g.weight, 0);
  return {
    name: `weighted(${gates.map((g) => g.gate.name).join(",")})`,
    needsLogprobs: gates.some((g) => g.gate.needsLogprobs),
    earlyTokens: undefined,
    async evaluate(input, services) {
      let score = 0;
      const reasons: string[] = [];
      for (const { gate, weight } of gates) {
        const v = await gate.evaluate(input, services);
        score += (v.score * weight) / total;
        reasons.push(`${v.reason} [score ${v.score.toFixed(2)} × ${weight}]`);
      }
      const pass = score >= threshold;
      return { pass, score, reason: `weighted ${score.toFixed(3)} ${pass ? "≥" : "<"} ${threshold}: ${reasons.join("; ")}` };
    },
  };
}

function earliest(gates: readonly QualityGate[]): number | undefined {
  const early = gates.map((g) => g.earlyTokens).filter((n): n is number => n !== undefined);
  return early.length > 0 ? Math.min(...early) : undefined;
}

function early(gates: readonly QualityGate[], logprobs: readonly TokenLogprob[], text: string): (GateVerdict | undefined)[] {
  return gates.map((g) => g.decideEarly?.(logprobs, text));
}

function combine(verdicts: GateVerdict[], pass: boolean): GateVerdict {
  const scores = verdicts.map((v) => v.score);
  return { pass, score: pass ? Math.min(...scores) : Math.max(...scores), reason: verdicts.map((v) => v.reason).join("; ") };
}
