import type { FinishReason, TokenLogprob } from "./chat-result.js";
import type { Usage } from "./usage.js";

/**
 * What every provider's stream yields: a small typed union, mapped from upstream chunks by
 * the provider and mapped to `chat.completion.chunk` by the server's encoder.
 * `choice` is the OpenAI choice index (0 unless `n` > 1). A failure is thrown from the
 * iterator, never yielded: there is one error channel.
 */
export type StreamPart =
  | { type: "start"; id?: string; model?: string; created?: number; systemFingerprint?: string | null }
  | { type: "text-delta"; choice: number; text: string; logprobs?: TokenLogprob[] }
  | { type: "refusal-delta"; choice: number; text: string }
  | {
      type: "tool-call-delta";
      choice: number;
      /** Position of the call in the message's `tool_calls` array. */
      toolIndex: number;
      id?: string;
      name?: string;
      argumentsDelta: string;
    }
  | { type: "finish"; choice: number; finishReason: FinishReason }
  | { type: "usage"; usage: Usage };

export type StreamPartType = StreamPart["type"];
