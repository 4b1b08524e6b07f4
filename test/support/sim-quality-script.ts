import type { SimScenario } from "./sim-scenario.js";
import type { SimResponder } from "./upstream-simulator.js";

/**
 * Scripted answer quality for shadow-evaluation tests. A prompt names its family with a
 * `[family:X]` tag. Each upstream model answers `GOOD answer (family X) from M` for the
 * families it is good at and `BAD answer (family X) from M` for the others. The judge model
 * (`judge`) answers the gateway's judge prompts deterministically from those words: pairwise
 * `VERDICT: A|B|TIE` by which answer is GOOD, absolute `SCORE: 9` for a GOOD candidate and
 * `SCORE: 2` for a BAD one — except for family `U`, where it rambles (an unparseable verdict).
 * A request with a json_schema gets `{"answer": …}` from a good model and prose from a bad one.
 */
export interface QualityScript {
  /** Upstream model name → the families it answers well (a model not listed is good at all). */
  goodAt: Record<string, readonly string[]>;
  /** The upstream model name of the judge. */
  judge: string;
  /** Delay of every judge answer (to make the shadow slow). */
  judgeLatencyMs?: number;
  /** Delay of every answer that is not the judge's. */
  latencyMs?: number;
  /** Upstream model name → families it answers with a 500 error. */
  failsAt?: Record<string, readonly string[]>;
}

export const UNPARSEABLE_FAMILY = "U";

export function qualityResponder(script: QualityScript): SimResponder {
  return ({ model, body }) => {
    if (model === undefined) return undefined;
    const prompt = promptOf(body);
    if (model === script.judge) return withLatency(judgeReply(prompt), script.judgeLatencyMs);
    const family = familyOf(prompt);
    if (family === undefined) return undefined;
    if (script.failsAt?.[model]?.includes(family)) return { status: 500 };
    const good = script.goodAt[model]?.includes(family) ?? true;
    const text = `${good ? "GOOD" : "BAD"} answer (family ${family}) from ${model}`;
    // A json_schema request gets JSON {"answer": …} when the model is good at the family, prose when not.
    const json = (body as { response_format?: { type?: unknown } } | undefined)?.response_format?.type === "json_schema";
    return withLatency({ content: json && good ? JSON.stringify({ answer: text }) : text }, script.latencyMs);
  };
}

function judgeReply(prompt: string): SimScenario {
  if (familyOf(prompt) === UNPARSEABLE_FAMILY) return { content: "Both answers have merit; I lean towards the first, perhaps." };
  const section = (from: string, to: string) => prompt.slice(prompt.indexOf(from) + from.length, prompt.indexOf(to));
  if (prompt.includes("=== ANSWER A ===")) {
    const a = section("=== ANSWER A ===", "=== ANSWER B ===").includes("GOOD");
    const b = section("=== ANSWER B ===", "=== END ===").includes("GOOD");
    return { content: a === b ? "VERDICT: TIE" : a ? "VERDICT: A" : "VERDICT: B" };
  }
  if (prompt.includes("=== CANDIDATE ANSWER ===")) {
    return { content: section("=== CANDIDATE ANSWER ===", "=== END ===").includes("GOOD") ? "SCORE: 9" : "SCORE: 2" };
  }
  return { content: "I am a judge; I was asked nothing." };
}

function familyOf(prompt: string): string | undefined {
  return /\[family:([A-Z])\]/.exec(prompt)?.[1];
}

function promptOf(body: unknown): string {
  const messages = (body as { messages?: { content?: unknown }[] } | undefined)?.messages;
  if (!Array.isArray(messages)) return "";
  return messages.map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? ""))).join("\n");
}

function withLatency(scenario: SimScenario, latencyMs: number | undefined): SimScenario {
  return latencyMs ? { ...scenario, latencyMs } : scenario;
}
