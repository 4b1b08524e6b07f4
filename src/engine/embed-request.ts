import type { ChatRequest } from "../core/chat-request.js";
import { InvalidRequestError } from "../core/errors.js";
import type { EmbeddingRequest, EmbeddingResult, LanguageModel } from "../core/language-model.js";
import type { CallOptions } from "../core/language-model.js";

/** The texts an embedding request asks for. */
export function embeddingTexts(request: EmbeddingRequest): string[] {
  return typeof request.input === "string" ? [request.input] : request.input;
}

/**
 * An embedding request as the run (and its log row) sees a request: its texts as user
 * messages, so prompt estimates and logged content work as for a chat request.
 */
export function embeddingAsRunRequest(request: EmbeddingRequest): ChatRequest {
  return { model: request.model, messages: embeddingTexts(request).map((content) => ({ role: "user", content })) };
}

/** One embedding attempt on `model` (a model without embeddings is the caller's mistake: 400). */
export function embedWith(model: LanguageModel, request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingResult> {
  if (!model.embed) {
    return Promise.reject(new InvalidRequestError(`The model "${model.id}" does not serve embeddings.`, { param: "model" }));
  }
  return model.embed(request, options);
}
