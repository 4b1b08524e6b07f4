import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";
import { messageText } from "../../core/chat-request.js";
import type { ChatMessage } from "../../core/chat-request.js";
import { InvalidRequestError } from "../../core/errors.js";

export interface ConvertedHistory {
  /** The conversation; its last item is the (possibly pre-filled) model response to continue. */
  history: ChatHistoryItem[];
  /** The assistant prefix being continued (`prefix: true`), or "" for a fresh answer. */
  prefix: string;
}

/**
 * OpenAI messages → node-llama-cpp chat history. System and developer messages become system
 * items; an assistant message with `tool_calls` becomes a model response with function calls
 * whose results are the matching `tool` messages. A last assistant message with `prefix: true`
 * stays open so the model continues it; otherwise an empty model response is appended.
 */
export function toChatHistory(messages: readonly ChatMessage[]): ConvertedHistory {
  const toolResults = new Map<string, string>();
  for (const message of messages) {
    if (message.role === "tool" && typeof message.tool_call_id === "string") {
      toolResults.set(message.tool_call_id, messageText(message));
    }
  }
  const history: ChatHistoryItem[] = [];
  messages.forEach((message, index) => {
    const isLast = index === messages.length - 1;
    switch (message.role) {
      case "system":
      case "developer":
        history.push({ type: "system", text: messageText(message) });
        return;
      case "user":
        history.push({ type: "user", text: messageText(message) });
        return;
      case "tool":
        return; // folded into the assistant message that called it
      case "assistant": {
        if (isLast && message.prefix === true && message.tool_calls?.length) {
          throw new InvalidRequestError("an assistant prefix (prefix: true) cannot contain tool_calls", { param: "messages" });
        }
        history.push(modelResponse(message, toolResults));
        return;
      }
      default:
        throw new InvalidRequestError(`messages[${index}].role ${JSON.stringify(message.role)} is not supported`, {
          param: `messages[${index}].role`,
        });
    }
  });
  const last = messages[messages.length - 1];
  if (last?.role === "assistant" && last.prefix === true) {
    return { history, prefix: messageText(last) };
  }
  history.push({ type: "model", response: [] });
  return { history, prefix: "" };
}

function modelResponse(message: ChatMessage, toolResults: Map<string, string>): ChatModelResponse {
  const response: ChatModelResponse["response"] = [];
  const text = messageText(message);
  if (text !== "") response.push(text);
  for (const call of message.tool_calls ?? []) {
    const item: ChatModelFunctionCall = {
      type: "functionCall",
      name: call.function.name,
      params: parseJson(call.function.arguments),
      result: parseJson(toolResults.get(call.id) ?? ""),
    };
    response.push(item);
  }
  return { type: "model", response };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
