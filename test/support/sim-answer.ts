import { simText, type SimScenario } from "./sim-scenario.js";

/** A wire-independent answer the simulator then writes as OpenAI or Anthropic JSON / SSE. */
export interface SimAnswer {
  id: string;
  created: number;
  model: string;
  /** Content tokens (each a word with its leading space), after stop / max-token truncation. */
  tokens: string[];
  text: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  refusal: string | undefined;
  finishReason: "stop" | "length" | "tool_calls" | "content_filter";
  /** The stop sequence that ended the answer, if one did. */
  stopSequence: string | null;
  promptTokens: number;
  completionTokens: number;
  /** Of the prompt tokens, those read from the prompt cache. */
  cachedTokens: number;
  /** Number of choices (OpenAI `n`). */
  n: number;
  /** The per-token logprob when the request asked for logprobs. */
  logprob: number | undefined;
}

export const DEFAULT_CONTENT = "Hello! I am the rightsize upstream simulator.";
export const DEFAULT_JSON_CONTENT = '{"answer":"Hello from the simulator."}';
const DEFAULT_TOKENS = 7;

let counter = 0;

export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** Splits tool arguments into the pieces a stream sends (≈ one token each). */
export function argumentPieces(args: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < args.length; i += 8) pieces.push(args.slice(i, i + 8));
  return pieces;
}

export interface AnswerInput {
  model: string;
  wantsJson: boolean;
  stop: string[];
  maxTokens: number | undefined;
  n: number;
  logprobs: boolean;
  promptTokens: number;
}

export function planAnswer(input: AnswerInput, scenario: SimScenario, idPrefix: string, toolIdPrefix: string): SimAnswer {
  // A fault "after N tokens" with no scripted content gets an answer long enough to reach N.
  const needed = scenario.fault !== undefined && scenario.afterTokens !== undefined ? scenario.afterTokens + 10 : 0;
  const fallback = needed > DEFAULT_TOKENS ? simText(needed) : input.wantsJson ? DEFAULT_JSON_CONTENT : DEFAULT_CONTENT;
  let text = scenario.content ?? fallback;
  let finishReason: SimAnswer["finishReason"] = scenario.finishReason ?? "stop";
  let stopSequence: string | null = null;
  for (const stop of input.stop) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at !== -1) {
      text = text.slice(0, at);
      stopSequence = stop;
    }
  }
  let tokens = tokenize(text);
  if (input.maxTokens !== undefined && tokens.length > input.maxTokens) {
    tokens = tokens.slice(0, input.maxTokens);
    text = tokens.join("");
    finishReason = "length";
  }
  const toolCalls = (scenario.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `${toolIdPrefix}sim${++counter}_${index}`,
    name: call.name,
    arguments: call.arguments,
  }));
  if (toolCalls.length > 0 && scenario.content === undefined) {
    text = "";
    tokens = [];
  }
  if (toolCalls.length > 0 && scenario.finishReason === undefined) finishReason = "tool_calls";
  let argTokens = 0;
  for (const call of toolCalls) argTokens += argumentPieces(call.arguments).length;
  return {
    id: `${idPrefix}${++counter}`,
    created: Math.floor(Date.now() / 1000),
    model: input.model,
    tokens,
    text,
    toolCalls,
    refusal: scenario.refusal,
    finishReason,
    stopSequence,
    promptTokens: scenario.promptTokens ?? input.promptTokens,
    cachedTokens: scenario.cachedTokens ?? 0,
    completionTokens: scenario.completionTokens ?? (tokens.length + argTokens) * input.n,
    n: input.n,
    logprob: input.logprobs ? (scenario.logprob ?? -0.01) : undefined,
  };
}
