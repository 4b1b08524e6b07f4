import { z } from "zod";
import type { ChatRequest } from "../../core/chat-request.js";
import type { Embedder } from "./embedder.js";
import { embedderSpecSchema } from "./create-embedder.js";
import { HashedTfidf, tfidfParamsSchema, tfidfSpecSchema } from "./hashed-tfidf.js";
import { requestFeatureText, type RequestFeatureText } from "./request-feature-text.js";
import { normalizeSparse, type SparseVector } from "./sparse-vector.js";
import { textStatNames, textStats } from "./text-stats.js";

export const featureSpecSchema = z.object({
  tfidf: tfidfSpecSchema,
  /** Add the dense structural features (lengths, code, math, question type, shape). */
  stats: z.boolean().default(true),
  /** Optional embedder: its vector is appended to the sparse part after the TF-IDF block. */
  embedder: embedderSpecSchema.optional(),
  /** Embedding dimensions (set when fitted with an embedder). */
  embeddingDims: z.number().int().min(1).optional(),
});
export type FeatureSpec = z.output<typeof featureSpecSchema>;

export const featureParamsSchema = z.object({
  spec: featureSpecSchema,
  tfidf: tfidfParamsSchema,
  statMean: z.array(z.number()),
  statStd: z.array(z.number()),
});
export type FeatureParams = z.output<typeof featureParamsSchema>;

/** The features of one request. */
export interface FeatureVector {
  /** L2-normalised TF-IDF (and embedding) part over `sparseDims` indices. */
  sparse: SparseVector;
  /** Standardised structural features (`textStatNames`), empty when stats are off. */
  dense: Float32Array;
  text: RequestFeatureText;
}

/** The built-in default: word uni+bigrams and char 3–5-grams hashed into 2^18 buckets. */
export const defaultFeatureSpec: FeatureSpec = {
  tfidf: { dims: 1 << 18, wordNgrams: [1, 2], charNgrams: [3, 5], contextWeight: 0.3, minDf: 2 },
  stats: true,
};

/** Fits features on training requests and turns any request into a `FeatureVector`. */
export class FeatureExtractor {
  private constructor(
    readonly spec: FeatureSpec,
    readonly tfidf: HashedTfidf,
    private readonly statMean: number[],
    private readonly statStd: number[],
    private readonly embedder?: Embedder,
  ) {}

  get sparseDims(): number {
    return this.spec.tfidf.dims + (this.spec.embeddingDims ?? 0);
  }

  get denseDims(): number {
    return this.spec.stats ? textStatNames.length : 0;
  }

  static fit(spec: FeatureSpec, requests: readonly ChatRequest[], embedder?: Embedder): FeatureExtractor {
    const texts = requests.map(requestFeatureText);
    const tfidf = HashedTfidf.fit(spec.tfidf, texts);
    const dims = textStatNames.length;
    const mean = new Array<number>(dims).fill(0);
    const sq = new Array<number>(dims).fill(0);
    if (spec.stats) {
      for (const text of texts) {
        textStats(text).forEach((value, i) => {
          mean[i] = (mean[i] ?? 0) + value;
          sq[i] = (sq[i] ?? 0) + value * value;
        });
      }
    }
    const n = Math.max(1, texts.length);
    const m = mean.map((sum) => sum / n);
    const std = sq.map((sum, i) => Math.sqrt(Math.max(0, sum / n - (m[i] ?? 0) ** 2)) || 1);
    return new FeatureExtractor(spec, tfidf, m, std, embedder);
  }

  static fromParams(params: FeatureParams, embedder?: Embedder): FeatureExtractor {
    return new FeatureExtractor(params.spec, HashedTfidf.fromParams(params.tfidf), params.statMean, params.statStd, embedder);
  }

  toParams(): FeatureParams {
    return { spec: this.spec, tfidf: this.tfidf.toParams(), statMean: this.statMean, statStd: this.statStd };
  }

  /** Whether `vector` works synchronously (no embedder). */
  get isSync(): boolean {
    return this.spec.embedder === undefined;
  }

  /** Features without an embedding (synchronous). */
  vector(request: ChatRequest): FeatureVector {
    const text = requestFeatureText(request);
    const sparse = this.tfidf.transform(text.main, text.context);
    const dense = new Float32Array(this.denseDims);
    if (this.spec.stats) {
      textStats(text).forEach((value, i) => {
        dense[i] = (value - (this.statMean[i] ?? 0)) / (this.statStd[i] ?? 1);
      });
    }
    return { sparse, dense, text };
  }

  /** Features of many requests, with embeddings when the spec names an embedder. */
  async vectors(requests: readonly ChatRequest[]): Promise<FeatureVector[]> {
    const base = requests.map((request) => this.vector(request));
    if (!this.spec.embedder) return base;
    if (!this.embedder) throw new Error("these features need an embedder; none was given");
    const embeddings = await this.embedder.embed(base.map((v) => `${v.text.context}\n${v.text.main}`.trim()));
    return base.map((v, i) => ({ ...v, sparse: appendEmbedding(v.sparse, embeddings[i] ?? new Float32Array(0), this.spec.tfidf.dims) }));
  }
}

/** Concatenates a TF-IDF vector and an L2-normalised embedding, each weighted 1/√2. */
function appendEmbedding(sparse: SparseVector, embedding: Float32Array, offset: number): SparseVector {
  const indices = new Int32Array(sparse.indices.length + embedding.length);
  const values = new Float32Array(indices.length);
  indices.set(sparse.indices);
  values.set(sparse.values);
  const unit = normalizeSparse({ indices: new Int32Array(0), values: Float32Array.from(embedding) }).values;
  for (let i = 0; i < embedding.length; i++) {
    indices[sparse.indices.length + i] = offset + i;
    values[sparse.indices.length + i] = unit[i] ?? 0;
  }
  for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) * Math.SQRT1_2;
  return { indices, values };
}
