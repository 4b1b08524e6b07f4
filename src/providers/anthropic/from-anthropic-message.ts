import type { ChatRequest, ToolCall } from "../../core/chat-request.js";
import type { ChatResult } from "../../core/chat-result.js";
import { UpstreamError } from "../../core/errors.js";
import { estimateUsage } from "../openai-compatible/estimate-usage.js";
import { finishReason, promptTokens, toUsage, type AnthropicUsage } from "./anthropic-mapping.js";

interface AnthropicBlock {
  type?: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

interface AnthropicMessageBody {
  id?: string;
  model?: string;
  content?: AnthropicBlock[];
  stop_reason?: string | null;
  usage?: AnthropicUsage;
}

/** An Anthropic Messages answer as an OpenAI `chat.completion`. */
export function fromAnthropicMessage(body: unknown, request: ChatRequest, label: string, upstreamModel: string): ChatResult {
  const message = (typeof body === "object" && body !== null ? body : {}) as AnthropicMessageBody;
  if (!Array.isArray(message.content)) throw new UpstreamError(`upstream ${label} answered without a content array`);
  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === "text" && typeof block.text === "string") text += block.text;
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: block.id ?? "",
        type: "function",
        function: { name: block.name ?? "", arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const assistant: ChatResult["choices"][number]["message"] = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
  const usage = message.usage;
  const hasUsage = usage !== undefined && typeof usage.output_tokens === "number";
  let answerChars = text.length;
  for (const call of toolCalls) answerChars += call.function.arguments.length;
  return {
    id: message.id ?? "",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: message.model ?? upstreamModel,
    choices: [{ index: 0, message: assistant, finish_reason: finishReason(message.stop_reason), logprobs: null }],
    usage: hasUsage
      ? toUsage(promptTokens(usage), usage.output_tokens ?? 0, usage.cache_read_input_tokens)
      : estimateUsage(request, answerChars),
  };
}
