import type { ToolCall } from "./chat-request.js";
import type { ChatResult, FinishReason, TokenLogprob } from "./chat-result.js";
import type { StreamPart } from "./stream-part.js";
import { makeUsage, type Usage } from "./usage.js";

/** Folds a stream of parts into a `chat.completion` (the non-streamed answer is the stream, collected). */
export async function collectAnswer(parts: AsyncIterable<StreamPart>, fallbackModel: string): Promise<ChatResult> {
  let id = "";
  let model = fallbackModel;
  let created = Math.floor(Date.now() / 1000);
  let text = "";
  let logprobs: TokenLogprob[] | undefined;
  let finishReason: FinishReason | null = null;
  let usage: Usage = makeUsage(0, 0);
  const toolCalls: ToolCall[] = [];
  for await (const part of parts) {
    switch (part.type) {
      case "start":
        id = part.id ?? id;
        model = part.model ?? model;
        created = part.created ?? created;
        break;
      case "text-delta":
        text += part.text;
        if (part.logprobs) (logprobs ??= []).push(...part.logprobs);
        break;
      case "tool-call-delta": {
        const call = (toolCalls[part.toolIndex] ??= { id: part.id ?? "", type: "function", function: { name: "", arguments: "" } });
        if (part.id) call.id = part.id;
        if (part.name) call.function.name = part.name;
        call.function.arguments += part.argumentsDelta;
        break;
      }
      case "finish":
        finishReason = part.finishReason;
        break;
      case "usage":
        usage = part.usage;
        break;
      default:
        break;
    }
  }
  const message: ChatResult["choices"][number]["message"] = {
    role: "assistant",
    content: toolCalls.length > 0 && text === "" ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id,
    object: "chat.completion",
    created,
    model,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: logprobs ? { content: logprobs } : null }],
    usage,
  };
}
