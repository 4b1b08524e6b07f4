import type { ToolCall } from "./chat-request.js";
import type { Usage } from "./usage.js";

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

/** One token's log-probability, as in OpenAI's `logprobs.content[]`. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  top_logprobs?: { token: string; logprob: number; bytes?: number[] | null }[];
}

export interface ChoiceLogprobs {
  content: TokenLogprob[] | null;
  refusal?: TokenLogprob[] | null;
}

export interface AssistantMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: ToolCall[];
  refusal?: string | null;
  [key: string]: unknown;
}

export interface ChatChoice {
  index: number;
  message: AssistantMessage;
  finish_reason: FinishReason | null;
  logprobs?: ChoiceLogprobs | null;
}

/** A complete (non-streamed) answer, in the OpenAI `chat.completion` shape. */
export interface ChatResult {
  id: string;
  object: "chat.completion";
  created: number;
  /** The upstream model name that produced the answer. */
  model: string;
  choices: ChatChoice[];
  usage: Usage;
  system_fingerprint?: string | null;
  [key: string]: unknown;
}
