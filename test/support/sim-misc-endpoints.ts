import type { ServerResponse } from "node:http";
import { JSON_HEADERS } from "./sim-response-writer.js";

/** GET /v1/models and POST /v1/embeddings of the upstream simulator. */
export function handleModels(res: ServerResponse, models: string[]): void {
  const data = models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "rightsize-simulator" }));
  res.writeHead(200, JSON_HEADERS).end(JSON.stringify({ object: "list", data }));
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic unit vector for a text (equal texts get equal vectors). */
export function simEmbedding(text: string, dimensions: number): number[] {
  let state = hash(text) || 1;
  const vector: number[] = [];
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const value = ((state >>> 0) / 4294967296) * 2 - 1;
    vector.push(value);
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm || 1);
  return vector.map((value) => value * scale);
}

export function handleEmbeddings(res: ServerResponse, body: unknown): void {
  const request = (typeof body === "object" && body !== null ? body : {}) as { input?: unknown; model?: unknown; dimensions?: unknown };
  const inputs = typeof request.input === "string" ? [request.input] : Array.isArray(request.input) ? request.input : undefined;
  if (!inputs || inputs.some((input) => typeof input !== "string")) {
    res.writeHead(400, JSON_HEADERS).end(
      JSON.stringify({
        error: { message: "'input' must be a string or an array of strings", type: "invalid_request_error", param: "input", code: null },
      }),
    );
    return;
  }
  const dimensions = typeof request.dimensions === "number" ? request.dimensions : 8;
  let chars = 0;
  const data = (inputs as string[]).map((input, index) => {
    chars += input.length;
    return { object: "embedding", index, embedding: simEmbedding(input, dimensions) };
  });
  const tokens = Math.ceil(chars / 4);
  res.writeHead(200, JSON_HEADERS).end(
    JSON.stringify({
      object: "list",
      data,
      model: String(request.model ?? "sim-embedding"),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    }),
  );
}
