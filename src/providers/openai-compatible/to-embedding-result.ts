import type { EmbeddingResult } from "../../core/language-model.js";
import { UpstreamError } from "../../core/errors.js";

interface EmbeddingItem {
  index?: number;
  embedding?: number[] | string;
}

function decodeBase64(value: string): number[] {
  const bytes = Buffer.from(value, "base64");
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
  return Array.from(floats);
}

/** Reads an OpenAI `/embeddings` answer (float or base64 vectors), in input order. */
export function toEmbeddingResult(body: unknown, label: string): EmbeddingResult {
  const record = typeof body === "object" && body !== null ? (body as { data?: unknown; model?: unknown; usage?: unknown }) : {};
  if (!Array.isArray(record.data)) throw new UpstreamError(`upstream ${label} answered embeddings without a data array`);
  const items = (record.data as EmbeddingItem[]).slice().sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const embeddings = items.map((item) => {
    if (Array.isArray(item.embedding)) return item.embedding;
    if (typeof item.embedding === "string") return decodeBase64(item.embedding);
    throw new UpstreamError(`upstream ${label} answered an embedding without a vector`);
  });
  const usage = record.usage as { prompt_tokens?: number; total_tokens?: number } | undefined;
  const prompt = usage?.prompt_tokens ?? 0;
  return {
    model: typeof record.model === "string" ? record.model : label,
    embeddings,
    usage: { prompt_tokens: prompt, total_tokens: usage?.total_tokens ?? prompt },
  };
}
