import type { FinishReason } from "../../core/chat-result.js";
import { makeUsage, type Usage } from "../../core/usage.js";

/** Anthropic `stop_reason` → OpenAI `finish_reason`. */
export function finishReason(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case "max_tokens":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop"; // end_turn, stop_sequence, pause_turn
  }
}

export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Prompt tokens include cache writes and reads (Anthropic counts them apart). */
export function promptTokens(usage: AnthropicUsage): number {
  return (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}

export function toUsage(prompt: number, completion: number, cachedTokens: number | null | undefined): Usage {
  const usage = makeUsage(prompt, completion);
  if (cachedTokens) usage.prompt_tokens_details = { cached_tokens: cachedTokens };
  return usage;
}
