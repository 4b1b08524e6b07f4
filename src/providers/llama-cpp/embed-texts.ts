import type { LlamaEmbeddingContext } from "node-llama-cpp";
import { ContextLengthError, InvalidRequestError } from "../../core/errors.js";
import type { EmbeddingRequest, EmbeddingResult } from "../../core/language-model.js";
import { abortReason } from "./abort-reason.js";
import type { LoadedModel } from "./local-model-host.js";

export interface EmbedTextsInput {
  modelId: string;
  model: string;
  request: EmbeddingRequest;
  context: LlamaEmbeddingContext;
  loaded: LoadedModel;
  signal: AbortSignal;
}

/**
 * Embeds each input string with the model's embedding context (the model's own pooling;
 * a chat model works too but its vectors are weaker than a dedicated embedding model's).
 * `dimensions` smaller than the native size truncates and re-normalises (Matryoshka style).
 */
export async function embedTexts(input: EmbedTextsInput): Promise<EmbeddingResult> {
  const { request, context, loaded } = input;
  const texts = typeof request.input === "string" ? [request.input] : request.input;
  if (!Array.isArray(texts) || texts.length === 0 || texts.some((text) => typeof text !== "string")) {
    throw new InvalidRequestError("input must be a string or a non-empty array of strings", { param: "input" });
  }
  const native = loaded.model.embeddingVectorSize;
  const dimensions = request.dimensions ?? native;
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > native) {
    throw new InvalidRequestError(`dimensions must be an integer from 1 to ${native} for model ${input.modelId}`, { param: "dimensions" });
  }
  const embeddings: number[][] = [];
  let promptTokens = 0;
  for (const [index, text] of texts.entries()) {
    if (input.signal.aborted) throw abortReason(input.signal);
    const all = loaded.model.tokenize(text);
    // `truncate: true` (rightsize's own callers, e.g. a router's embedder) cuts a long text to fit.
    const tokens = request.truncate === true && all.length > loaded.contextSize ? all.slice(0, loaded.contextSize) : all;
    if (tokens.length > loaded.contextSize) {
      throw new ContextLengthError(
        `input[${index}] is ${tokens.length} tokens but embedding model ${input.modelId} has a context of ${loaded.contextSize}`,
        { param: "input" },
      );
    }
    promptTokens += tokens.length;
    const { vector } = await context.getEmbeddingFor(tokens.length > 0 ? tokens : loaded.model.tokenize(" "));
    embeddings.push(dimensions === native ? [...vector] : normalise(vector.slice(0, dimensions)));
  }
  return { model: input.model, embeddings, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
}

function normalise(vector: readonly number[]): number[] {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
