import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load-config.js";
import type { LanguageModel } from "../../src/core/language-model.js";
import { createEmbedder } from "../../src/routing/features/create-embedder.js";
import { providerEmbeddingModels } from "../../src/server/provider-embedding-models.js";

/**
 * A router's embedder is a provider's model, not a second HTTP path or llama runtime: when the
 * config already has the same model (same endpoint and upstream model, or the same GGUF file)
 * the gateway's instance is used, and one spec makes one model however many routers name it.
 */
describe("router embedders over the providers", () => {
  const config = parseConfig(
    {
      models: [
        { id: "embed", provider: "openai-compatible", model: "nomic", baseUrl: "http://127.0.0.1:9/v1/" },
        { id: "local-embed", provider: "llama-cpp", model: "/models/e.gguf", kind: "embedding" },
      ],
      routers: [],
    },
    { env: {} },
  );
  const gatewayModel = (id: string): LanguageModel => ({
    id,
    provider: "test",
    upstreamModel: id,
    capabilities: { assistantPrefill: false, logprobs: false, embeddings: true },
    generate: () => Promise.reject(new Error("unused")),
    stream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error("unused")) }) }),
    embed: async () => ({ model: id, embeddings: [[1, 2, 3]], usage: { prompt_tokens: 1, total_tokens: 1 } }),
  });
  const built = new Map([
    ["embed", gatewayModel("embed")],
    ["local-embed", gatewayModel("local-embed")],
  ]);

  it("an http spec naming a configured endpoint and model embeds with the gateway's model", async () => {
    const source = providerEmbeddingModels(config.models, built);
    expect(await source({ kind: "http", baseUrl: "http://127.0.0.1:9/v1", model: "nomic", timeoutMs: 1000 })).toBe(built.get("embed"));
    const embedder = await createEmbedder(
      { kind: "http", baseUrl: "http://127.0.0.1:9/v1", model: "nomic", batchSize: 64, timeoutMs: 1000 },
      { models: source },
    );
    expect((await embedder.embed(["x"])).map((v) => Array.from(v))).toEqual([[1, 2, 3]]);
  });

  it("a gguf spec naming a configured embedding model's file uses that model (one llama runtime)", async () => {
    const source = providerEmbeddingModels(config.models, built);
    expect(await source({ kind: "gguf", modelPath: "/models/e.gguf", threads: 1 })).toBe(built.get("local-embed"));
  });

  it("an unconfigured spec makes one provider model, shared by every router that names it", async () => {
    const source = providerEmbeddingModels(config.models, built);
    const spec = { kind: "http" as const, baseUrl: "http://127.0.0.1:9/v2", model: "other", timeoutMs: 1000 };
    const first = await source(spec);
    expect(first.provider).toBe("openai-compatible");
    expect(await source({ ...spec })).toBe(first);
    await first.close?.();
  });
});
