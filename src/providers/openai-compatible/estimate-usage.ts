import { messageText, type ChatRequest } from "../../core/chat-request.js";
import { makeUsage, type Usage } from "../../core/usage.js";
import { tokensOfChars } from "../../pricing/estimate-tokens.js";

/** Characters of the prompt: message texts, tool-call arguments and tool definitions. */
export function promptCharacters(request: ChatRequest): number {
  let chars = 0;
  for (const message of request.messages) {
    chars += messageText(message).length + 4;
    if (message.tool_calls) for (const call of message.tool_calls) chars += call.function.arguments.length + call.function.name.length;
  }
  if (request.tools) chars += JSON.stringify(request.tools).length;
  return chars;
}

/** Usage estimated from the prompt and the characters of the answer, marked `estimated`. */
export function estimateUsage(request: ChatRequest, completionCharacters: number): Usage {
  return makeUsage(Math.ceil(tokensOfChars(promptCharacters(request))), Math.ceil(tokensOfChars(completionCharacters)), true);
}

/** The upstream's usage object when it is usable (kept as sent, total filled in), else undefined. */
export function readUsage(value: unknown): Usage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const usage = value as Partial<Usage>;
  if (typeof usage.prompt_tokens !== "number" || typeof usage.completion_tokens !== "number") return undefined;
  if (typeof usage.total_tokens !== "number") usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage as Usage;
}
