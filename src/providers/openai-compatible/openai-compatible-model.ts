import type { OpenAiCompatibleModelConfig } from "../../config/config-schema.js";
import type { ChatRequest } from "../../core/chat-request.js";
import type { ChatResult } from "../../core/chat-result.js";
import type { CallOptions, LanguageModel, ModelCapabilities } from "../../core/language-model.js";
import type { StreamPart } from "../../core/stream-part.js";

// PLACEHOLDER: being implemented (issue 2, providers).
export class OpenAiCompatibleModel implements LanguageModel {
  readonly id: string;
  readonly provider = "openai-compatible";
  readonly upstreamModel: string;
  readonly capabilities: ModelCapabilities = { assistantPrefill: false, logprobs: true, embeddings: false };
  constructor(config: OpenAiCompatibleModelConfig) {
    this.id = config.id;
    this.upstreamModel = config.model;
  }
  generate(_request: ChatRequest, _options: CallOptions): Promise<ChatResult> {
    throw new Error("not implemented");
  }
  // eslint-disable-next-line require-yield
  async *stream(_request: ChatRequest, _options: CallOptions): AsyncIterable<StreamPart> {
    throw new Error("not implemented");
  }
}
