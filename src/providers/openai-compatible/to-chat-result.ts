import type { ChatRequest } from "../../core/chat-request.js";
import type { ChatChoice, ChatResult } from "../../core/chat-result.js";
import { UpstreamError } from "../../core/errors.js";
import { estimateUsage, readUsage } from "./estimate-usage.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function answerCharacters(choices: ChatChoice[]): number {
  let chars = 0;
  for (const choice of choices) {
    const message = choice.message;
    if (typeof message.content === "string") chars += message.content.length;
    if (message.tool_calls) for (const call of message.tool_calls) chars += call.function.arguments.length;
  }
  return chars;
}

/**
 * Checks an upstream `chat.completion` body just enough to trust its shape and returns it
 * as is (no copy). Missing usage is estimated and marked `estimated: true`.
 */
export function toChatResult(body: unknown, request: ChatRequest, label: string): ChatResult {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new UpstreamError(`upstream ${label} answered without a choices array`);
  }
  for (const choice of body.choices) {
    if (!isRecord(choice) || !isRecord(choice.message)) {
      throw new UpstreamError(`upstream ${label} answered with a choice that has no message`);
    }
    if (choice.finish_reason === undefined) choice.finish_reason = null;
  }
  const result = body as ChatResult;
  if (result.object === undefined) result.object = "chat.completion";
  const usage = readUsage(body.usage);
  result.usage = usage ?? estimateUsage(request, answerCharacters(result.choices));
  return result;
}

/** The body is a `chat.completion` that `toChatResult` returns unchanged (nothing filled in). */
export function isCompleteChatBody(body: unknown): boolean {
  if (!isRecord(body) || body.object === undefined || !Array.isArray(body.choices)) return false;
  for (const choice of body.choices) if (!isRecord(choice) || choice.finish_reason === undefined) return false;
  const usage = body.usage;
  return (
    isRecord(usage) &&
    typeof usage.prompt_tokens === "number" &&
    typeof usage.completion_tokens === "number" &&
    typeof usage.total_tokens === "number"
  );
}
