import {
  maxOutputTokens,
  messageText,
  stopSequences,
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  type ToolChoice,
} from "../../core/chat-request.js";
import { InvalidRequestError } from "../../core/errors.js";

/** Anthropic Messages request pieces (only what we send). */
type Block = Record<string, unknown>;
interface AnthropicMessage {
  role: "user" | "assistant";
  content: Block[];
}

function imageBlock(url: string): Block {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { type: "image", source: { type: "base64", media_type: data[1], data: data[2] } };
  return { type: "image", source: { type: "url", url } };
}

function contentBlocks(message: ChatMessage, index: number): Block[] {
  const content = message.content;
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  return content.map((part: ContentPart) => {
    if (part.type === "text") return { type: "text", text: String(part.text) };
    if (part.type === "image_url") {
      const url = (part as { image_url?: { url?: unknown } }).image_url?.url;
      if (typeof url === "string") return imageBlock(url);
    }
    throw new InvalidRequestError(`messages[${index}]: content part type "${part.type}" is not supported by Anthropic models`, {
      param: `messages[${index}].content`,
    });
  });
}

function toolUseBlocks(message: ChatMessage, index: number): Block[] {
  return (message.tool_calls ?? []).map((call, callIndex) => {
    let input: unknown;
    try {
      input = call.function.arguments.trim() === "" ? {} : JSON.parse(call.function.arguments);
    } catch {
      throw new InvalidRequestError(`messages[${index}].tool_calls[${callIndex}].function.arguments is not valid JSON`, {
        param: `messages[${index}].tool_calls`,
      });
    }
    return { type: "tool_use", id: call.id, name: call.function.name, input };
  });
}

function toolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Block | undefined {
  let mapped: Block | undefined;
  if (choice === "auto") mapped = { type: "auto" };
  else if (choice === "required") mapped = { type: "any" };
  else if (choice === "none") mapped = { type: "none" };
  else if (typeof choice === "object") mapped = { type: "tool", name: choice.function.name };
  if (parallel === false && mapped?.type !== "none") mapped = { ...(mapped ?? { type: "auto" }), disable_parallel_tool_use: true };
  return mapped;
}

function jsonInstruction(request: ChatRequest): string | undefined {
  const format = request.response_format;
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_schema") {
    return `Respond only with a JSON value that matches this JSON Schema, with no other text:\n${JSON.stringify(format.json_schema.schema ?? {})}`;
  }
  return "Respond only with a valid JSON object, with no other text.";
}

/**
 * Translates an OpenAI-shaped request to an Anthropic Messages body: system/developer
 * messages → `system`, tool calls ↔ tool_use blocks, tool messages → tool_result blocks,
 * consecutive same-role turns merged, a final assistant message kept as the prefill.
 */
export function toAnthropicRequest(
  request: ChatRequest,
  upstreamModel: string,
  defaultMaxTokens: number,
  stream: boolean,
): Record<string, unknown> {
  if ((request.n ?? 1) > 1) throw new InvalidRequestError("n > 1 is not supported by Anthropic models", { param: "n" });
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  request.messages.forEach((message, index) => {
    let role: "user" | "assistant";
    let blocks: Block[];
    if (message.role === "system" || message.role === "developer") {
      const text = messageText(message);
      if (text) system.push(text);
      return;
    } else if (message.role === "tool") {
      role = "user";
      blocks = [{ type: "tool_result", tool_use_id: message.tool_call_id ?? "", content: messageText(message) }];
    } else if (message.role === "assistant") {
      role = "assistant";
      blocks = [...contentBlocks(message, index), ...toolUseBlocks(message, index)];
    } else {
      role = "user";
      blocks = contentBlocks(message, index);
    }
    if (blocks.length === 0) return;
    const last = messages[messages.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  });
  const final = messages[messages.length - 1];
  const finalBlock = final?.role === "assistant" ? final.content[final.content.length - 1] : undefined;
  if (finalBlock?.type === "text") finalBlock.text = String(finalBlock.text).trimEnd(); // Anthropic rejects trailing whitespace in a prefill
  const instruction = jsonInstruction(request);
  if (instruction) system.push(instruction);

  const body: Record<string, unknown> = {
    model: upstreamModel,
    max_tokens: maxOutputTokens(request) ?? defaultMaxTokens,
    messages,
  };
  if (system.length > 0) body.system = system.join("\n\n");
  const stop = stopSequences(request);
  if (stop.length > 0) body.stop_sequences = stop;
  if (typeof request.temperature === "number") body.temperature = Math.min(request.temperature, 1);
  if (typeof request.top_p === "number") body.top_p = request.top_p;
  if (typeof request.top_k === "number") body.top_k = request.top_k;
  // With tool_choice "none" the tools are still sent (a history holding tool_use / tool_result
  // blocks is rejected without them) and tool_choice {"type": "none"} keeps the model from calling one.
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      input_schema: tool.function.parameters ?? { type: "object", properties: {} },
    }));
    const choice = toolChoice(request.tool_choice, request.parallel_tool_calls ?? undefined);
    if (choice) body.tool_choice = choice;
  }
  if (typeof request.user === "string") body.metadata = { user_id: request.user };
  if (stream) body.stream = true;
  return body;
}
