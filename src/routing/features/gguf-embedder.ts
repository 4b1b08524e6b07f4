import type { Embedder } from "./embedder.js";

export interface GgufEmbedderOptions {
  modelPath: string;
  /** CPU threads for evaluation (1 on a 2-core machine). */
  threads?: number;
  /** Context size in tokens; longer texts are cut to fit. */
  contextSize?: number;
}

interface EmbeddingContext {
  getEmbeddingFor(input: string): Promise<{ vector: readonly number[] }>;
  dispose(): Promise<void>;
}

interface LoadedModel {
  context: EmbeddingContext;
  tokenize(text: string): unknown[];
  detokenize(tokens: unknown[]): string;
  dispose(): Promise<void>;
}

/** A local GGUF model through node-llama-cpp, imported lazily on first use (CPU only). */
export class GgufEmbedder implements Embedder {
  readonly id: string;
  private loaded: Promise<LoadedModel> | undefined;

  constructor(private readonly options: GgufEmbedderOptions) {
    this.id = `gguf:${options.modelPath}`;
  }

  private async load(): Promise<LoadedModel> {
    const { getLlama } = await import("node-llama-cpp");
    const llama = await getLlama({ gpu: false, build: "never", maxThreads: this.options.threads ?? 1 });
    const model = await llama.loadModel({ modelPath: this.options.modelPath, gpuLayers: 0 });
    const contextSize = Math.min(this.options.contextSize ?? 512, model.trainContextSize);
    const context = await model.createEmbeddingContext({ threads: this.options.threads ?? 1, contextSize, batchSize: contextSize });
    return {
      context,
      tokenize: (text) => model.tokenize(text),
      detokenize: (tokens) => model.detokenize(tokens as Parameters<typeof model.detokenize>[0]),
      dispose: async () => {
        await context.dispose();
        await model.dispose();
      },
    };
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.loaded ??= this.load();
    const model = await this.loaded;
    const limit = Math.max(8, (this.options.contextSize ?? 512) - 8);
    const out: Float32Array[] = [];
    for (const text of texts) {
      const tokens = model.tokenize(text);
      const input = tokens.length > limit ? model.detokenize(tokens.slice(0, limit)) : text;
      const embedding = await model.context.getEmbeddingFor(input || " ");
      out.push(Float32Array.from(embedding.vector));
    }
    return out;
  }

  async close(): Promise<void> {
    if (!this.loaded) return;
    const model = await this.loaded;
    this.loaded = undefined;
    await model.dispose();
  }
}
