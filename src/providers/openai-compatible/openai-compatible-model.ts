import type { OpenAiCompatibleModelConfig } from "../../config/config-schema.js";
import type { ChatRequest } from "../../core/chat-request.js";
import type { ChatResult } from "../../core/chat-result.js";
import type { CallOptions, EmbeddingRequest, EmbeddingResult, LanguageModel, ModelCapabilities } from "../../core/language-model.js";
import type { StreamPart } from "../../core/stream-part.js";
import { withWireBody } from "../../core/wire-body.js";
import { streamUpstreamSse } from "../http/stream-upstream-sse.js";
import { UpstreamHttpClient } from "../http/upstream-http-client.js";
import { buildOpenAiBody } from "./build-openai-body.js";
import { toEmbeddingResult } from "./to-embedding-result.js";
import { OpenAiStreamHandler } from "./openai-stream-handler.js";
import { isCompleteChatBody, toChatResult } from "./to-chat-result.js";

/**
 * Anything that speaks OpenAI Chat Completions (OpenAI, vLLM, llama.cpp server, Ollama,
 * LM Studio, Groq, Together, …). The request goes upstream almost unchanged.
 */
export class OpenAiCompatibleModel implements LanguageModel {
  readonly id: string;
  readonly provider = "openai-compatible";
  readonly upstreamModel: string;
  readonly capabilities: ModelCapabilities;
  private readonly client: UpstreamHttpClient;
  private readonly chatPath: string;
  private readonly embeddingsPath: string;

  constructor(config: OpenAiCompatibleModelConfig) {
    this.id = config.id;
    this.upstreamModel = config.model;
    this.capabilities = { assistantPrefill: config.assistantPrefill ?? false, logprobs: true, embeddings: true };
    const headers: Record<string, string> = { "content-type": "application/json", ...config.headers };
    if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
    this.client = new UpstreamHttpClient({
      baseUrl: config.baseUrl,
      headers,
      maxConnections: config.maxConnections ?? 256,
      label: config.id,
      secret: config.apiKey,
    });
    this.chatPath = this.client.path("/chat/completions");
    this.embeddingsPath = this.client.path("/embeddings");
  }

  async generate(request: ChatRequest, options: CallOptions): Promise<ChatResult> {
    const body = buildOpenAiBody(request, this.upstreamModel, false);
    const { value, text } = await this.client.jsonAndText("POST", this.chatPath, body, options.signal);
    const exact = isCompleteChatBody(value);
    const result = toChatResult(value, request, this.id);
    return exact ? withWireBody(result, text) : result;
  }

  stream(request: ChatRequest, options: CallOptions): AsyncIterable<StreamPart> {
    const body = buildOpenAiBody(request, this.upstreamModel, true);
    return streamUpstreamSse(this.client, this.chatPath, body, options, new OpenAiStreamHandler(request, this.client.context));
  }

  async embed(request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingResult> {
    const { truncate: _ownOption, ...wire } = request;
    const body = JSON.stringify({ ...wire, model: this.upstreamModel, encoding_format: "float" });
    const json = await this.client.json("POST", this.embeddingsPath, body, options.signal);
    return toEmbeddingResult(json, this.id);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
