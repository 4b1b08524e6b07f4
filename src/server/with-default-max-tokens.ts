import { type ChatRequest, maxOutputTokens } from "../core/chat-request.js";
import type { LanguageModel } from "../core/language-model.js";

/**
 * The model with an output-token cap for requests that set none (`models[].defaultMaxTokens`):
 * the same interface, so the engine cannot tell; a request that sets `max_tokens` or
 * `max_completion_tokens` passes unchanged.
 */
export function withDefaultMaxTokens(model: LanguageModel, cap: number | undefined): LanguageModel {
  if (cap === undefined) return model;
  const capped = (request: ChatRequest): ChatRequest =>
    maxOutputTokens(request) === undefined ? { ...request, max_tokens: cap } : request;
  const wrapped: LanguageModel = {
    id: model.id,
    provider: model.provider,
    upstreamModel: model.upstreamModel,
    capabilities: model.capabilities,
    generate: (request, options) => model.generate(capped(request), options),
    stream: (request, options) => model.stream(capped(request), options),
  };
  if (model.embed) wrapped.embed = model.embed.bind(model);
  if (model.close) wrapped.close = model.close.bind(model);
  return wrapped;
}
