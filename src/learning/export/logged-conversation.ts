import type { ChatMessage, ChatRequest } from "../../core/chat-request.js";

/** The messages of a logged request (its `prompt` column: the request messages as JSON), or undefined when not stored or not messages. */
export function loggedMessages(prompt: string | null): ChatMessage[] | undefined {
  if (prompt === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(prompt);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  for (const message of parsed) {
    if (typeof message !== "object" || message === null || typeof (message as { role?: unknown }).role !== "string") return undefined;
  }
  return parsed as ChatMessage[];
}

/** The logged request as a ChatRequest (the log keeps its messages; tools and parameters are not stored). */
export function loggedRequest(model: string, messages: ChatMessage[]): ChatRequest {
  return { model, messages };
}

/** A tool call as the chat format carries it. */
export interface LoggedToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/**
 * Splits a logged answer into its text and tool calls. The log stores an answer with tool calls
 * as its text, a newline (when there is text) and the tool calls as a JSON array.
 */
export function splitLoggedAnswer(answer: string): { content: string; toolCalls: LoggedToolCall[] } {
  const start = answer.lastIndexOf("[{");
  if (start >= 0 && (start === 0 || answer[start - 1] === "\n") && answer.trimEnd().endsWith("]")) {
    try {
      const calls: unknown = JSON.parse(answer.slice(start));
      if (Array.isArray(calls) && calls.length > 0 && calls.every(isToolCall)) {
        return { content: answer.slice(0, Math.max(0, start - 1)), toolCalls: calls as LoggedToolCall[] };
      }
    } catch {
      // not tool calls: the answer is text
    }
  }
  return { content: answer, toolCalls: [] };
}

function isToolCall(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const call = value as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
  return typeof call.id === "string" && typeof call.function?.name === "string" && typeof call.function.arguments === "string";
}
