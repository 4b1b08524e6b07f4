import { request } from "undici";
import type { Embedder } from "./embedder.js";

export interface HttpEmbedderOptions {
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  batchSize?: number;
  timeoutMs?: number;
}

/** Any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, vLLM, llama.cpp server). */
export class HttpEmbedder implements Embedder {
  readonly id: string;

  constructor(private readonly options: HttpEmbedderOptions) {
    this.id = `http:${options.baseUrl.replace(/\/+$/, "")}#${options.model}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const batch = this.options.batchSize ?? 64;
    for (let start = 0; start < texts.length; start += batch) {
      out.push(...(await this.embedBatch(texts.slice(start, start + batch))));
    }
    return out;
  }

  private async embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    const url = `${this.options.baseUrl.replace(/\/+$/, "")}/embeddings`;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const response = await request(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ model: this.options.model, input: texts }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const body = await response.body.text();
    if (response.statusCode >= 400) {
      throw new Error(`embeddings endpoint ${url} answered ${response.statusCode}: ${body.slice(0, 200)}`);
    }
    const parsed = JSON.parse(body) as { data?: Array<{ index?: number; embedding?: unknown }> };
    const data = parsed.data;
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new Error(
        `embeddings endpoint ${url} returned ${Array.isArray(data) ? data.length : "no"} embeddings for ${texts.length} inputs`,
      );
    }
    const out = new Array<Float32Array>(texts.length);
    data.forEach((item, position) => {
      if (!Array.isArray(item.embedding) || !item.embedding.every((x) => typeof x === "number")) {
        throw new Error(`embeddings endpoint ${url}: data[${position}].embedding is not an array of numbers`);
      }
      out[item.index ?? position] = Float32Array.from(item.embedding as number[]);
    });
    return out;
  }
}
