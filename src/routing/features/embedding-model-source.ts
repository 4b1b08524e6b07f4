import type { LanguageModel } from "../../core/language-model.js";

/** The model an embedder spec names: an OpenAI-compatible endpoint or a local GGUF file. */
export type EmbeddingModelSpec =
  | { kind: "http"; baseUrl: string; model: string; apiKey?: string | undefined; timeoutMs: number }
  | { kind: "gguf"; modelPath: string; threads: number };

/**
 * Where routers' embedders get their models: the gateway's providers (the same HTTP client and
 * the same local llama runtime as every other call), handed down by the composition root.
 */
export type EmbeddingModelSource = (spec: EmbeddingModelSpec) => Promise<LanguageModel>;
