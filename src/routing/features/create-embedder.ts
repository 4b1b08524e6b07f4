import { z } from "zod";
import type { Embedder } from "./embedder.js";

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
  /** Folder relative model paths resolve against. */
  baseDir?: string;
  /** Folder of the on-disk embedding cache; no cache when absent. */
  cacheDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Builds an embedder from its spec (GGUF support is imported lazily). */
export async function createEmbedder(spec: EmbedderSpec, options: CreateEmbedderOptions = {}): Promise<Embedder> {
  let embedder: Embedder;
  if (spec.kind === "http") {
    const { HttpEmbedder } = await import("./http-embedder.js");
    const apiKey = spec.apiKeyEnv ? (options.env ?? process.env)[spec.apiKeyEnv] : undefined;
    embedder = new HttpEmbedder({ ...spec, apiKey });
  } else {
    const path = await import("node:path");
    const { GgufEmbedder } = await import("./gguf-embedder.js");
    embedder = new GgufEmbedder({ modelPath: path.resolve(options.baseDir ?? ".", spec.modelPath), threads: spec.threads });
  }
  if (!options.cacheDir) return embedder;
  const { CachedEmbedder } = await import("./cached-embedder.js");
  return new CachedEmbedder(embedder, options.cacheDir);
}
