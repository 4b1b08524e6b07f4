import type { ChatRequest } from "../core/chat-request.js";
import type { ChatResult } from "../core/chat-result.js";
import type { LanguageModel } from "../core/language-model.js";
import type { StreamPart } from "../core/stream-part.js";
import { openStreamAttempt, type OpenedStream, type StreamTimeouts } from "./open-stream-attempt.js";

/**
 * How an attempt asks a model for its answer. Strategies are written once, over streams: a
 * streamed request opens the model's stream; a JSON request asks for the whole answer at once
 * (one upstream call, its body kept as the model sent it) and sees it as a stream that is
 * already complete, so the same strategy code holds, gates and serves it.
 */
export interface AnswerSource {
  readonly stream: boolean;
  open(model: LanguageModel, request: ChatRequest, signal: AbortSignal, timeouts: StreamTimeouts): Promise<OpenedStream>;
}

export const streamedAnswers: AnswerSource = { stream: true, open: openStreamAttempt };

const ended: AsyncIterator<StreamPart> = { next: async () => ({ done: true, value: undefined }) };

export const wholeAnswers: AnswerSource = {
  stream: false,
  async open(model, request, signal) {
    const result = await model.generate(request, { signal });
    return { head: resultParts(result), iterator: ended, result };
  },
};

/** A complete answer as the parts its stream would have had. */
export function resultParts(result: ChatResult): StreamPart[] {
  const parts: StreamPart[] = [{ type: "start", id: result.id, model: result.model, created: result.created }];
  for (const choice of result.choices) {
    const message = choice.message;
    if (message.content) {
      const logprobs = choice.logprobs?.content;
      parts.push(
        logprobs
          ? { type: "text-delta", choice: choice.index, text: message.content, logprobs }
          : { type: "text-delta", choice: choice.index, text: message.content },
      );
    }
    if (message.refusal) parts.push({ type: "refusal-delta", choice: choice.index, text: message.refusal });
    if (message.tool_calls) {
      for (const [toolIndex, call] of message.tool_calls.entries()) {
        parts.push({
          type: "tool-call-delta",
          choice: choice.index,
          toolIndex,
          id: call.id,
          name: call.function.name,
          argumentsDelta: call.function.arguments,
        });
      }
    }
    if (choice.finish_reason) parts.push({ type: "finish", choice: choice.index, finishReason: choice.finish_reason });
  }
  parts.push({ type: "usage", usage: result.usage });
  return parts;
}
