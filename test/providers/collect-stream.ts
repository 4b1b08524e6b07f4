import type { ChatRequest } from "../../src/core/chat-request.js";
import type { StreamPart } from "../../src/core/stream-part.js";

/** Reads a provider stream to its end, keeping the parts and the error it ended with. */
export async function collectStream(stream: AsyncIterable<StreamPart>): Promise<{ parts: StreamPart[]; error: unknown }> {
  const parts: StreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
    return { parts, error: undefined };
  } catch (error) {
    return { parts, error };
  }
}

export function textOf(parts: StreamPart[], choice = 0): string {
  let text = "";
  for (const part of parts) if (part.type === "text-delta" && part.choice === choice) text += part.text;
  return text;
}

export function userRequest(content: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: "client-model-name", messages: [{ role: "user", content }], ...extra };
}

export function signal(): AbortSignal {
  return new AbortController().signal;
}
