import { argumentPieces, type SimAnswer } from "./sim-answer.js";
import type { SimFrames } from "./sim-openai-wire.js";

/** Anthropic Messages bodies and SSE event sequences, shaped like api.anthropic.com's. */
function stopReason(answer: SimAnswer): string {
  switch (answer.finishReason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return answer.stopSequence !== null ? "stop_sequence" : "end_turn";
  }
}

function parseInput(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
}

/** Anthropic counts cache reads apart from input_tokens (prompt = input + cache creation + cache read). */
function usage(answer: SimAnswer, outputTokens: number): Record<string, number> {
  return {
    input_tokens: answer.promptTokens - answer.cachedTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: answer.cachedTokens,
    output_tokens: outputTokens,
  };
}

export function anthropicJson(answer: SimAnswer, withUsage = true): string {
  const content: Record<string, unknown>[] = [];
  if (answer.text !== "" || answer.toolCalls.length === 0) content.push({ type: "text", text: answer.text });
  for (const call of answer.toolCalls) content.push({ type: "tool_use", id: call.id, name: call.name, input: parseInput(call.arguments) });
  return JSON.stringify({
    id: answer.id,
    type: "message",
    role: "assistant",
    model: answer.model,
    content,
    stop_reason: stopReason(answer),
    stop_sequence: answer.stopSequence,
    ...(withUsage ? { usage: usage(answer, answer.completionTokens) } : {}),
  });
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export function anthropicFrames(answer: SimAnswer, withUsage = true): SimFrames {
  const head = [
    event("message_start", {
      message: {
        id: answer.id,
        type: "message",
        role: "assistant",
        model: answer.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        ...(withUsage ? { usage: usage(answer, 1) } : {}),
      },
    }),
  ];
  const tokens: string[] = [];
  let pending = "";
  let block = 0;
  if (answer.text !== "" || answer.toolCalls.length === 0) {
    head.push(event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }));
    head.push(event("ping", {}));
    for (const token of answer.tokens) {
      tokens.push(event("content_block_delta", { index: 0, delta: { type: "text_delta", text: token } }));
    }
    pending = event("content_block_stop", { index: 0 });
    block = 1;
  }
  for (const call of answer.toolCalls) {
    const index = block++;
    tokens.push(
      pending + event("content_block_start", { index, content_block: { type: "tool_use", id: call.id, name: call.name, input: {} } }),
    );
    for (const piece of argumentPieces(call.arguments)) {
      tokens.push(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: piece } }));
    }
    pending = event("content_block_stop", { index });
  }
  const tail = [
    pending +
      event("message_delta", {
        delta: { stop_reason: stopReason(answer), stop_sequence: answer.stopSequence },
        ...(withUsage ? { usage: { output_tokens: answer.completionTokens } } : {}),
      }),
    event("message_stop", {}),
  ];
  return { head, tokens, tail };
}

export function anthropicErrorBody(type: string, message: string): string {
  return JSON.stringify({ type: "error", error: { type, message } });
}

export function anthropicErrorFrame(type: string, message: string): string {
  return `event: error\ndata: ${anthropicErrorBody(type, message)}\n\n`;
}

export const ANTHROPIC_MALFORMED_FRAME =
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_de\n\n';
