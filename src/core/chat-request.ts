/**
 * The core request type. rightsize speaks the OpenAI Chat Completions shape natively
 * (snake_case field names, as on the wire) because it is the lingua franca of the field:
 * OpenAI-compatible upstreams receive it almost unchanged, other providers translate it.
 * Unknown fields are kept (index signature) so they pass through to compatible upstreams.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type MessageRole = "system" | "developer" | "user" | "assistant" | "tool";

export interface TextContentPart {
  type: "text";
  text: string;
}

export interface ImageContentPart {
  type: "image_url";
  image_url: { url: string; detail?: string };
}

/** Other part kinds (input_audio, file, …) are passed through untouched. */
export interface OtherContentPart {
  type: string;
  [key: string]: unknown;
}

export type ContentPart = TextContentPart | ImageContentPart | OtherContentPart;

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: MessageRole;
  content?: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** OpenAI "assistant prefix" / continuation flag understood by some upstreams (DeepSeek, Mistral, vLLM). */
  prefix?: boolean;
  [key: string]: unknown;
}

export interface ToolDefinition {
  type: "function";
  function: { name: string; description?: string; parameters?: JsonObject; strict?: boolean };
}

export type ToolChoice = "none" | "auto" | "required" | { type: "function"; function: { name: string } };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: { name: string; description?: string; schema?: JsonObject; strict?: boolean | null };
    };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  user?: string;
  [key: string]: unknown;
}

/** Plain text of a message's content (text parts joined; other parts ignored). */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) {
    if (part.type === "text" && typeof (part as TextContentPart).text === "string") {
      text += (text ? "\n" : "") + (part as TextContentPart).text;
    }
  }
  return text;
}

/** The stop sequences of a request as a list. */
export function stopSequences(request: ChatRequest): string[] {
  const stop = request.stop;
  if (stop === undefined || stop === null) return [];
  return typeof stop === "string" ? [stop] : stop;
}

/** The completion-token cap of a request, whichever of the two OpenAI fields carries it. */
export function maxOutputTokens(request: ChatRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}
