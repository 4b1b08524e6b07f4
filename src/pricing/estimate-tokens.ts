import type { ChatMessage, ChatRequest } from "../core/chat-request.js";
import { messageText } from "../core/chat-request.js";

/**
 * Token estimates for when a provider reports no usage. The rule is deliberately simple and
 * tokenizer-free: one token per 4 characters (UTF-16 code units), rounded up, which is close
 * for English prose and code with BPE tokenizers (it undercounts CJK text, which runs nearer
 * one token per character). A chat adds a fixed overhead: 4 tokens per message (role and
 * delimiters), 1 more when the message has a `name`, and 3 for priming the reply, matching
 * the framing OpenAI documents for its chat models. Tool definitions and tool calls are
 * counted as their JSON text. Figures estimated this way are marked `estimated` in usage.
 */
export const CHARS_PER_TOKEN = 4;
export const TOKENS_PER_MESSAGE = 4;
export const TOKENS_PER_NAME = 1;
export const TOKENS_REPLY_PRIMING = 3;

/**
 * Tokens of `chars` characters, unrounded: characters / 4. The one estimate every count here is
 * built on; replay and cost predictions use it as is (they average over many rows).
 */
export function tokensOfChars(chars: number): number {
  return chars / CHARS_PER_TOKEN;
}

/** ≈ ceil(characters / 4); 0 for an empty string. */
export function estimateTokens(text: string): number {
  return Math.ceil(tokensOfChars(text.length));
}

/** One message: its text, tool calls and the per-message overhead. */
export function estimateMessageTokens(message: ChatMessage): number {
  let tokens = TOKENS_PER_MESSAGE + estimateTokens(messageText(message));
  if (message.name) tokens += TOKENS_PER_NAME + estimateTokens(message.name);
  if (message.tool_calls?.length) tokens += estimateTokens(JSON.stringify(message.tool_calls));
  return tokens;
}

/** The messages of a chat plus the reply priming. */
export function estimateChatTokens(messages: readonly ChatMessage[]): number {
  let tokens = TOKENS_REPLY_PRIMING;
  for (const message of messages) tokens += estimateMessageTokens(message);
  return tokens;
}

/** The prompt tokens of a whole request: messages plus tool definitions. */
export function estimatePromptTokens(request: Pick<ChatRequest, "messages" | "tools">): number {
  let tokens = estimateChatTokens(request.messages);
  if (request.tools?.length) tokens += estimateTokens(JSON.stringify(request.tools));
  return tokens;
}
