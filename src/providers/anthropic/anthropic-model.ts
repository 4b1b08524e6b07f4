import type { AnthropicModelConfig } from "../../config/config-schema.js";
import type { ChatRequest } from "../../core/chat-request.js";
import type { ChatResult } from "../../core/chat-result.js";
import type { CallOptions, LanguageModel, ModelCapabilities } from "../../core/language-model.js";
import type { StreamPart } from "../../core/stream-part.js";
import { streamUpstreamSse } from "../http/stream-upstream-sse.js";
import { UpstreamHttpClient } from "../http/upstream-http-client.js";
import { AnthropicStreamHandler } from "./anthropic-stream-handler.js";
import { fromAnthropicMessage } from "./from-anthropic-message.js";
import { toAnthropicRequest } from "./to-anthropic-request.js";

/**
 * Claude through the Messages API (`POST {baseUrl}/messages`), translated to and from the
 * OpenAI shapes. A final assistant message is continued natively (prefill). No logprobs,
 * no embeddings, no `n` > 1.
 */
export class AnthropicModel implements LanguageModel {
  readonly id: string;
  readonly provider = "anthropic";
  readonly upstreamModel: string;
  readonly capabilities: ModelCapabilities = { assistantPrefill: true, logprobs: false, embeddings: false };
  private readonly client: UpstreamHttpClient;
  private readonly messagesPath: string;
  private readonly defaultMaxTokens: number;

  constructor(config: AnthropicModelConfig) {
    this.id = config.id;
    this.upstreamModel = config.model;
    this.defaultMaxTokens = config.defaultMaxTokens ?? 4096;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "anthropic-version": config.anthropicVersion ?? "2023-06-01",
      ...config.headers,
    };
    if (config.apiKey) headers["x-api-key"] = config.apiKey;
    this.client = new UpstreamHttpClient({
      baseUrl: config.baseUrl ?? "https://api.anthropic.com/v1",
      headers,
      maxConnections: config.maxConnections ?? 256,
      label: config.id,
      secret: config.apiKey,
    });
    this.messagesPath = this.client.path("/messages");
  }

  async generate(request: ChatRequest, options: CallOptions): Promise<ChatResult> {
    const body = JSON.stringify(toAnthropicRequest(request, this.upstreamModel, this.defaultMaxTokens, false));
    const json = await this.client.json("POST", this.messagesPath, body, options.signal);
    return fromAnthropicMessage(json, request, this.id, this.upstreamModel);
  }

  stream(request: ChatRequest, options: CallOptions): AsyncIterable<StreamPart> {
    const body = JSON.stringify(toAnthropicRequest(request, this.upstreamModel, this.defaultMaxTokens, true));
    return streamUpstreamSse(this.client, this.messagesPath, body, options, new AnthropicStreamHandler(request, this.client.context));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
