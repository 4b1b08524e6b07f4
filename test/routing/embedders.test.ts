import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CachedEmbedder } from "../../src/routing/features/cached-embedder.js";
import { createEmbedder } from "../../src/routing/features/create-embedder.js";
import { promptRequest } from "../../src/routing/features/request-feature-text.js";
import { loadPredictor } from "../../src/routing/learned/predictor-registry.js";
import { toArtifact, trainPredictor } from "../../src/learning/training/train-predictor.js";
import { parseRouterArtifact } from "../../src/routing/learned/router-artifact-schema.js";
import { providerEmbeddingModels } from "../../src/server/provider-embedding-models.js";
import { gpt4, gsm8kSlice, mixtral, sharedData, tempDir } from "./support/shared-slice.js";

const requests: Array<{ authorization?: string; body: { model: string; input: string[] } }> = [];
let server: Server;
let baseUrl = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += String(chunk)));
    req.on("end", () => {
      const body = JSON.parse(text) as { model: string; input: string[] };
      requests.push({ authorization: req.headers.authorization, body });
      if (body.model === "broken") {
        res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"boom"}}');
        return;
      }
      const data = body.input.map((input, index) => ({ object: "embedding", index, embedding: [input.length, index, 1] }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data, model: body.model }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Routers' embedders run over the providers' models (the gateway's HTTP client and llama runtime). */
const models = providerEmbeddingModels();
const httpEmbedder = (model: string, batchSize = 64) =>
  createEmbedder({ kind: "http", baseUrl, model, batchSize, timeoutMs: 5_000 }, { models });

describe("an http embedder (the openai-compatible provider)", () => {
  it("speaks /v1/embeddings in batches and sends the key only when given", async () => {
    requests.length = 0;
    const embedder = await httpEmbedder("nomic", 2);
    const vectors = await embedder.embed(["a", "bb", "ccc"]);
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [1, 0, 1],
      [2, 1, 1],
      [3, 0, 1],
    ]);
    expect(requests.map((r) => r.body.input)).toEqual([["a", "bb"], ["ccc"]]);
    expect(requests[0]?.authorization).toBeUndefined();
    const keyed = await createEmbedder(
      { kind: "http", baseUrl, model: "nomic", apiKeyEnv: "EMBED_KEY", batchSize: 64, timeoutMs: 1000 },
      { env: { EMBED_KEY: "k-1" }, models },
    );
    await keyed.embed(["x"]);
    expect(requests.at(-1)?.authorization).toBe("Bearer k-1");
  });

  it("reports an upstream error with its status", async () => {
    await expect((await httpEmbedder("broken")).embed(["a"])).rejects.toThrow(/answered 500/);
  });
});

describe("CachedEmbedder", () => {
  it("serves the second call from disk, keyed by embedder id and text", async () => {
    requests.length = 0;
    const dir = tempDir("embed-cache");
    const first = new CachedEmbedder(await httpEmbedder("nomic"), dir);
    const a = await first.embed(["hello", "world"]);
    const second = new CachedEmbedder(await httpEmbedder("nomic"), dir);
    const b = await second.embed(["hello", "world"]);
    expect(b.map((v) => Array.from(v))).toEqual(a.map((v) => Array.from(v)));
    expect(second.stats).toEqual({ hits: 2, misses: 0 });
    expect(requests).toHaveLength(1);
    const other = new CachedEmbedder(await httpEmbedder("other-model"), dir);
    await other.embed(["hello"]);
    expect(other.stats.misses).toBe(1);
  });
});

describe("embedding features", () => {
  it("train a knn router over an HTTP embedder that the artifact names, with no OpenAI key", async () => {
    const rows = (await gsm8kSlice(40)).map((row, i) => ({ ...row, prompt: "x".repeat(1 + (i % 7)) }));
    const settings = { features: { tfidf: { dims: 64 }, embedder: { kind: "http", baseUrl, model: "nomic" } } };
    const predictor = await trainPredictor("knn", rows, { models: [mixtral, gpt4], seed: 1, settings, embeddingModels: models });
    const artifact = parseRouterArtifact(
      JSON.parse(JSON.stringify(toArtifact(predictor, { dataFile: "s", dataSha256: "x", rows: 40, seed: 1, validation: {} }))),
    );
    expect((artifact.features.spec as { embeddingDims?: number }).embeddingDims).toBe(3);
    const embedder = await createEmbedder({ kind: "http", baseUrl, model: "nomic", batchSize: 64, timeoutMs: 1000 }, { models });
    const loaded = loadPredictor(artifact, embedder);
    const prediction = await loaded.predict(promptRequest("xxx"));
    expect(prediction.qualities).toEqual((await predictor.predict(promptRequest("xxx"))).qualities);
  });
});

describe("a gguf embedder (the llama-cpp provider)", () => {
  it("embeds with the real stories260K GGUF, deterministically, with one vector size", async () => {
    const modelPath = path.join(path.dirname(path.dirname(sharedData("x"))), "models", "stories260K.gguf");
    const embedder = await createEmbedder({ kind: "gguf", modelPath, threads: 1 }, { models });
    try {
      const [a, b] = await embedder.embed(["Once upon a time there was a cat.", "The dog ran to the park."]);
      const [again] = await embedder.embed(["Once upon a time there was a cat."]);
      expect(a?.length).toBeGreaterThan(0);
      expect(b?.length).toBe(a?.length);
      expect(Array.from(again ?? [])).toEqual(Array.from(a ?? []));
      expect(Array.from(a ?? [])).not.toEqual(Array.from(b ?? []));
    } finally {
      await embedder.close?.();
    }
  }, 60_000);
});
