import type { ChatRequest } from "../../core/chat-request.js";

/** Request fields that belong to rightsize itself and never go upstream. */
function stripInternalFields(body: Record<string, unknown>): void {
  for (const key in body) {
    if (key.startsWith("rightsize")) delete body[key];
  }
}

/**
 * The upstream body: the request as sent by the client (unknown OpenAI fields pass through)
 * with the upstream model name. Streams always ask for the usage chunk so every answer can
 * be accounted; the server decides whether its client sees it.
 */
export function buildOpenAiBody(request: ChatRequest, upstreamModel: string, stream: boolean): string {
  const body: Record<string, unknown> = stream
    ? { ...request, model: upstreamModel, stream: true, stream_options: { ...request.stream_options, include_usage: true } }
    : { ...request, model: upstreamModel, stream: false, stream_options: undefined };
  stripInternalFields(body);
  return JSON.stringify(body);
}
