import { argumentPieces, tokenize, type SimAnswer } from "./sim-answer.js";

/** OpenAI Chat Completions bodies and SSE frames, shaped exactly like api.openai.com's. */
export interface SimFrames {
  head: string[];
  /** One entry per token (a frame or a few frames sent together). */
  tokens: string[];
  /** Closing frames; the last one is the terminator (`[DONE]` / message_stop). */
  tail: string[];
}

const FINGERPRINT = "fp_rightsize_sim";

function tokenLogprob(token: string, logprob: number): Record<string, unknown> {
  return { token, logprob, bytes: Array.from(Buffer.from(token)), top_logprobs: [] };
}

export function openAiJson(answer: SimAnswer, withUsage: boolean): string {
  const choices = [];
  for (let index = 0; index < answer.n; index++) {
    const message: Record<string, unknown> = {
      role: "assistant",
      content: answer.refusal !== undefined ? null : answer.toolCalls.length > 0 && answer.text === "" ? null : answer.text,
      refusal: answer.refusal ?? null,
      annotations: [],
    };
    if (answer.toolCalls.length > 0) {
      message.tool_calls = answer.toolCalls.map((call) => ({
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: call.arguments },
      }));
    }
    const logprobs =
      answer.logprob === undefined ? null : { content: answer.tokens.map((t) => tokenLogprob(t, answer.logprob ?? 0)), refusal: null };
    choices.push({ index, message, logprobs, finish_reason: answer.finishReason });
  }
  const body: Record<string, unknown> = {
    id: answer.id,
    object: "chat.completion",
    created: answer.created,
    model: answer.model,
    choices,
    system_fingerprint: FINGERPRINT,
  };
  if (withUsage) body.usage = openAiUsage(answer);
  return JSON.stringify(body);
}

function openAiUsage(answer: SimAnswer): Record<string, unknown> {
  return {
    prompt_tokens: answer.promptTokens,
    completion_tokens: answer.completionTokens,
    total_tokens: answer.promptTokens + answer.completionTokens,
    prompt_tokens_details: { cached_tokens: answer.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function openAiFrames(answer: SimAnswer, includeUsage: boolean, withUsage: boolean): SimFrames {
  const base = {
    id: answer.id,
    object: "chat.completion.chunk",
    created: answer.created,
    model: answer.model,
    system_fingerprint: FINGERPRINT,
  };
  const frame = (choice: Record<string, unknown>): string =>
    `data: ${JSON.stringify(includeUsage ? { ...base, choices: [choice], usage: null } : { ...base, choices: [choice] })}\n\n`;
  const head: string[] = [];
  const tokens: string[] = [];
  const tail: string[] = [];
  for (let index = 0; index < answer.n; index++) {
    head.push(frame({ index, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }));
  }
  const refusalTokens = answer.refusal !== undefined ? tokenize(answer.refusal) : [];
  for (const token of answer.refusal !== undefined ? refusalTokens : answer.tokens) {
    let group = "";
    for (let index = 0; index < answer.n; index++) {
      const delta = answer.refusal !== undefined ? { refusal: token } : { content: token };
      const logprobs = answer.logprob === undefined ? null : { content: [tokenLogprob(token, answer.logprob)], refusal: null };
      group += frame({ index, delta, logprobs, finish_reason: null });
    }
    tokens.push(group);
  }
  answer.toolCalls.forEach((call, toolIndex) => {
    const pieces = argumentPieces(call.arguments);
    const first = { index: toolIndex, id: call.id, type: "function", function: { name: call.name, arguments: "" } };
    let opening = "";
    for (let index = 0; index < answer.n; index++) {
      opening += frame({ index, delta: { tool_calls: [first] }, logprobs: null, finish_reason: null });
    }
    tokens.push(opening);
    for (const piece of pieces) {
      let group = "";
      for (let index = 0; index < answer.n; index++) {
        group += frame({
          index,
          delta: { tool_calls: [{ index: toolIndex, function: { arguments: piece } }] },
          logprobs: null,
          finish_reason: null,
        });
      }
      tokens.push(group);
    }
  });
  for (let index = 0; index < answer.n; index++) {
    tail.push(frame({ index, delta: {}, logprobs: null, finish_reason: answer.finishReason }));
  }
  if (includeUsage && withUsage) tail.push(`data: ${JSON.stringify({ ...base, choices: [], usage: openAiUsage(answer) })}\n\n`);
  tail.push("data: [DONE]\n\n");
  return { head, tokens, tail };
}

export function openAiErrorBody(message: string, type: string, code: string | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

export function openAiErrorFrame(message: string, type: string, code: string | null): string {
  return `data: ${openAiErrorBody(message, type, code)}\n\n`;
}

export const OPENAI_MALFORMED_FRAME =
  'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tru\n\n';
