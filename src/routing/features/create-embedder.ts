import { z } from "zod";
import type { Embedder } from "./embedder.js";
import type { EmbeddingModelSource } from "./embedding-model-source.js";
import { ModelEmbedder } from "./model-embedder.js";

/** How an artifact names its embedder; the gateway rebuilds it from this. */
export const embedderSpecSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("http"),
    /** Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1 (Ollama). */
    baseUrl: z.string().url(),
    model: z.string().min(1),
    /** Name of the environment variable holding the API key, if the endpoint needs one. */
    apiKeyEnv: z.string().optional(),
    batchSize: z.number().int().min(1).default(64),
    timeoutMs: z.number().int().min(1).default(30_000),
  }),
  z.object({
    kind: z.literal("gguf"),
    /** Path of a GGUF embedding model (relative paths resolve against the artifact's folder). */
    modelPath: z.string().min(1),
    threads: z.number().int().min(1).default(1),
  }),
]);
export type EmbedderSpec = z.output<typeof embedderSpecSchema>;

export interface CreateEmbedderOptions {
  /** The providers' embedding models (from the composition root: the gateway, the CLI). */
  models?: EmbeddingModelSource | undefined;
  /** Folder relative model paths resolve against. */
  baseDir?: string;
  /** Folder of the on-disk embedding cache; no cache when absent. */
  cacheDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Builds an embedder from its spec, over a provider's model. */
export async function createEmbedder(spec: EmbedderSpec, options: CreateEmbedderOptions = {}): Promise<Embedder> {
  const source = options.models;
  if (!source) throw new Error(`an embedder (${spec.kind}) needs the providers' embedding models; none were given`);
  let embedder: Embedder;
  if (spec.kind === "http") {
    const apiKey = spec.apiKeyEnv ? (options.env ?? process.env)[spec.apiKeyEnv] : undefined;
    const model = await source({ kind: "http", baseUrl: spec.baseUrl, model: spec.model, apiKey, timeoutMs: spec.timeoutMs });
    const id = `http:${spec.baseUrl.replace(/\/+$/, "")}#${spec.model}`;
    embedder = new ModelEmbedder(model, { id, batchSize: spec.batchSize, timeoutMs: spec.timeoutMs });
  } else {
    const path = await import("node:path");
    const modelPath = path.resolve(options.baseDir ?? ".", spec.modelPath);
    const model = await source({ kind: "gguf", modelPath, threads: spec.threads });
    embedder = new ModelEmbedder(model, { id: `gguf:${modelPath}`, batchSize: 64, timeoutMs: 120_000 });
  }
  if (!options.cacheDir) return embedder;
  const { CachedEmbedder } = await import("./cached-embedder.js");
  return new CachedEmbedder(embedder, options.cacheDir);
}
