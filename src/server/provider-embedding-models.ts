import { modelSchema, type ModelConfig } from "../config/config-schema.js";
import type { LanguageModel } from "../core/language-model.js";
import { createLanguageModel } from "../providers/provider-registry.js";
import type { EmbeddingModelSource, EmbeddingModelSpec } from "../routing/features/embedding-model-source.js";

/**
 * Routers' embedding models from the providers: an `http` spec is an openai-compatible model, a
 * `gguf` spec a llama-cpp embedding model. A configured model that is the same (same endpoint and
 * upstream model, or the same GGUF file) is used as it is, so a router adds no second client or
 * llama runtime; others are made once per spec and shared.
 */
export function providerEmbeddingModels(
  configured: readonly ModelConfig[] = [],
  built?: ReadonlyMap<string, LanguageModel>,
): EmbeddingModelSource {
  const made = new Map<string, Promise<LanguageModel>>();
  return (spec) => {
    const key = JSON.stringify(spec);
    let model = made.get(key);
    if (!model) {
      model = modelFor(spec, configured, built);
      made.set(key, model);
    }
    return model;
  };
}

async function modelFor(
  spec: EmbeddingModelSpec,
  configured: readonly ModelConfig[],
  built: ReadonlyMap<string, LanguageModel> | undefined,
): Promise<LanguageModel> {
  const same = configured.find((m) =>
    spec.kind === "http"
      ? m.provider === "openai-compatible" && trim(m.baseUrl) === trim(spec.baseUrl) && m.model === spec.model
      : m.provider === "llama-cpp" && m.kind === "embedding" && m.model === spec.modelPath,
  );
  const existing = same ? built?.get(same.id) : undefined;
  if (existing?.embed) return existing;
  const config =
    spec.kind === "http"
      ? modelSchema.parse({
          id: `embedder:${spec.model}`,
          provider: "openai-compatible",
          model: spec.model,
          baseUrl: spec.baseUrl,
          ...(spec.apiKey ? { apiKey: spec.apiKey } : {}),
        })
      : modelSchema.parse({
          id: `embedder:${spec.modelPath}`,
          provider: "llama-cpp",
          model: spec.modelPath,
          kind: "embedding",
          contextSize: 512,
          threads: spec.threads,
          concurrency: 1,
        });
  return createLanguageModel(config);
}

function trim(url: string): string {
  return url.replace(/\/+$/, "");
}
