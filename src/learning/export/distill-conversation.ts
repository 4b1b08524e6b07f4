import { type ChatMessage, messageText } from "../../core/chat-request.js";
import type { Redactor } from "../../storage/create-redactor.js";
import { type LoggedToolCall, splitLoggedAnswer } from "./logged-conversation.js";

/** A message of a distillation example: the chat fine-tuning roles, text content, tool calls kept. */
export interface DistillMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | null;
  tool_calls?: LoggedToolCall[];
  tool_call_id?: string;
  name?: string;
}

export type ConversationResult = { ok: true; messages: DistillMessage[] } | { ok: false; reason: string };

/**
 * The conversation of a logged request followed by the teacher's answer, redacted, in the chat
 * fine-tuning shape: `developer` becomes `system`; content parts other than text (images,
 * audio) make the example unusable, as does an empty conversation.
 */
export function distillConversation(messages: readonly ChatMessage[], answer: string, redact: Redactor): ConversationResult {
  const out: DistillMessage[] = [];
  for (const message of messages) {
    const role = message.role === "developer" ? "system" : message.role;
    if (role !== "system" && role !== "user" && role !== "assistant" && role !== "tool")
      return { ok: false, reason: `role ${message.role}` };
    if (Array.isArray(message.content) && message.content.some((part) => part.type !== "text"))
      return { ok: false, reason: "non-text content" };
    const text = messageText(message);
    const entry: DistillMessage = { role, content: redact(text) };
    const calls = (message.tool_calls ?? []) as LoggedToolCall[];
    if (role === "assistant" && calls.length > 0) {
      entry.tool_calls = calls.map((call) => redactCall(call, redact));
      if (text === "") entry.content = null;
    }
    if (role === "tool") {
      if (typeof message.tool_call_id !== "string") return { ok: false, reason: "tool message without tool_call_id" };
      entry.tool_call_id = message.tool_call_id;
    }
    if (typeof message.name === "string" && role !== "tool") entry.name = message.name;
    out.push(entry);
  }
  if (!out.some((message) => message.role === "user")) return { ok: false, reason: "no user message" };
  const { content, toolCalls } = splitLoggedAnswer(answer);
  const final: DistillMessage = { role: "assistant", content: content === "" && toolCalls.length > 0 ? null : redact(content) };
  if (toolCalls.length > 0)
    final.tool_calls = toolCalls.map((call) => redactCall({ id: call.id, type: "function", function: call.function }, redact));
  if (final.content === "" && !final.tool_calls) return { ok: false, reason: "empty answer" };
  out.push(final);
  return { ok: true, messages: out };
}

function redactCall(call: LoggedToolCall, redact: Redactor): LoggedToolCall {
  return { id: call.id, type: "function", function: { name: call.function.name, arguments: redact(call.function.arguments) } };
}

/** Whether a conversation holds tool calls or tool results (formats without tools cannot carry it). */
export function hasTools(messages: readonly DistillMessage[]): boolean {
  return messages.some((message) => message.role === "tool" || (message.tool_calls?.length ?? 0) > 0);
}

/** The prompt side of an example as one text: what duplicates are judged on. */
export function promptText(messages: readonly DistillMessage[]): string {
  return messages
    .slice(0, -1)
    .map((message) => `${message.role}: ${message.content ?? ""}${message.tool_calls ? JSON.stringify(message.tool_calls) : ""}`)
    .join("\n");
}
