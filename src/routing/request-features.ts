import { messageText, type ChatRequest } from "../core/chat-request.js";

/** Cheap features of a whole request, computed once per request for rules and logs. */
export interface RequestFeatures {
  /** Estimated prompt tokens of all messages and tool definitions (≈ chars / 4). */
  promptTokens: number;
  /** User turns in the conversation. */
  turns: number;
  messages: number;
  hasSystemPrompt: boolean;
  hasCode: boolean;
  hasTools: boolean;
  jsonOutput: boolean;
  /** Text of the last user message. */
  lastUserText: string;
  /** All message text joined, for keyword and regex rules. */
  allText: string;
}

const codePattern = /```|\b(def|class|function|import|return|const|let|var|public|static|#include|SELECT|FROM)\b[^\n]*[({;:=]|=>|\)\s*\{/;

export function extractRequestFeatures(request: ChatRequest): RequestFeatures {
  let chars = 0;
  let turns = 0;
  let hasSystemPrompt = false;
  let lastUserText = "";
  const texts: string[] = [];
  for (const message of request.messages) {
    const text = messageText(message);
    chars += text.length + 16;
    texts.push(text);
    if (message.role === "user") {
      turns += 1;
      lastUserText = text;
    } else if (message.role === "system" || message.role === "developer") {
      hasSystemPrompt = true;
    }
    if (message.tool_calls) chars += JSON.stringify(message.tool_calls).length;
  }
  const hasTools = Array.isArray(request.tools) && request.tools.length > 0;
  if (hasTools) chars += JSON.stringify(request.tools).length;
  const allText = texts.join("\n");
  const format = request.response_format?.type;
  return {
    promptTokens: Math.ceil(chars / 4),
    turns,
    messages: request.messages.length,
    hasSystemPrompt,
    hasCode: codePattern.test(allText),
    hasTools,
    jsonOutput: format === "json_object" || format === "json_schema",
    lastUserText,
    allText,
  };
}
