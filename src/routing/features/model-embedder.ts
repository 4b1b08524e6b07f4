import type { LanguageModel } from "../../core/language-model.js";
import type { Embedder } from "./embedder.js";

export interface ModelEmbedderOptions {
  /** Stable id of the embedder (part of the embedding cache key). */
  id: string;
  batchSize?: number;
  /** Longest one batch may take. */
  timeoutMs?: number;
}

/** Embeds texts with a provider's model (`LanguageModel.embed`), in batches. */
export class ModelEmbedder implements Embedder {
  readonly id: string;

  constructor(
    private readonly model: LanguageModel,
    private readonly options: ModelEmbedderOptions,
  ) {
    this.id = options.id;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const embed = this.model.embed?.bind(this.model);
    if (!embed) throw new Error(`model ${this.model.id} does not serve embeddings`);
    const out: Float32Array[] = [];
    const batch = this.options.batchSize ?? 64;
    for (let start = 0; start < texts.length; start += batch) {
      const input = texts.slice(start, start + batch);
      // Texts longer than a local model's context are cut to fit (a router reads their start).
      const result = await embed(
        { model: this.model.id, input, truncate: true },
        { signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) },
      );
      if (result.embeddings.length !== input.length) {
        throw new Error(`model ${this.model.id} returned ${result.embeddings.length} embeddings for ${input.length} inputs`);
      }
      for (const vector of result.embeddings) out.push(Float32Array.from(vector));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.model.close?.();
  }
}
