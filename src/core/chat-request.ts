import type { z } from "zod";
import type {
  chatMessageSchema,
  chatRequestSchema,
  contentPartSchema,
  imageContentPartSchema,
  messageRoleSchema,
  otherContentPartSchema,
  responseFormatSchema,
  textContentPartSchema,
  toolCallSchema,
  toolChoiceSchema,
  toolDefinitionSchema,
} from "./chat-request-schema.js";

/**
 * The core request types, inferred from the wire schema (`chat-request-schema.ts`), so the
 * validated shape and the type cannot drift. rightsize speaks the OpenAI Chat Completions shape
 * natively (snake_case field names, as on the wire) because it is the lingua franca of the field:
 * OpenAI-compatible upstreams receive it almost unchanged, other providers translate it.
 * Unknown fields are kept (loose objects) so they pass through to compatible upstreams.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type MessageRole = z.output<typeof messageRoleSchema>;
export type TextContentPart = z.output<typeof textContentPartSchema>;
export type ImageContentPart = z.output<typeof imageContentPartSchema>;
/** Other part kinds (input_audio, file, …) are passed through untouched. */
export type OtherContentPart = z.output<typeof otherContentPartSchema>;
export type ContentPart = z.output<typeof contentPartSchema>;
export type ToolCall = z.output<typeof toolCallSchema>;
export type ChatMessage = z.output<typeof chatMessageSchema>;
export type ToolDefinition = z.output<typeof toolDefinitionSchema>;
export type ToolChoice = z.output<typeof toolChoiceSchema>;
export type ResponseFormat = z.output<typeof responseFormatSchema>;
export type ChatRequest = z.output<typeof chatRequestSchema>;

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
