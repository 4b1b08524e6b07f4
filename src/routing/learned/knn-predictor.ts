import { z } from "zod";
import type { FeatureExtractor, FeatureVector } from "../features/feature-extractor.js";
import { decodeFloat32, encodeFloat32 } from "../features/sparse-vector.js";
import { InvertedIndex, type SparseDocuments } from "./inverted-index.js";
import { LearnedPredictor, formatQualities, type CommonParams } from "./learned-predictor.js";
import type { QualityPrediction } from "./quality-predictor.js";

export const knnSettingsSchema = z.object({
  k: z.number().int().min(1).max(500).default(20),
  /** Neighbour weight = similarity ^ power (1 = similarity-weighted). */
  power: z.number().min(0).max(16).default(1),
  /** Pseudo-count of the per-model mean score mixed into every prediction. */
  prior: z.number().min(0).default(1),
  /** Terms kept per indexed example (largest TF-IDF weights); 0 keeps all. */
  topTerms: z.number().int().min(0).default(64),
  /** Query terms found in more than this share of the examples (and in over 500) are skipped (speed; 1 = exact cosine). */
  maxTermShare: z.number().min(0).max(1).default(1),
});
export type KnnSettings = z.output<typeof knnSettingsSchema>;

const knnParamsSchema = z.object({
  settings: knnSettingsSchema,
  ids: z.array(z.string()),
  docStart: z.string(),
  terms: z.string(),
  weights: z.string(),
  scores: z.string(),
});

function encodeInt32(array: Int32Array): string {
  return encodeFloat32(new Float32Array(array.buffer, array.byteOffset, array.length));
}
function decodeInt32(text: string): Int32Array {
  const floats = decodeFloat32(text);
  return new Int32Array(floats.buffer, floats.byteOffset, floats.length);
}

/** Similarity-weighted outcomes of the k nearest labelled examples, for every model at once. */
export class KnnPredictor extends LearnedPredictor {
  readonly kind: string = "knn";
  private readonly index: InvertedIndex;

  constructor(
    models: readonly string[],
    features: FeatureExtractor,
    common: CommonParams,
    readonly settings: KnnSettings,
    private readonly ids: readonly string[],
    docs: SparseDocuments,
    private readonly scores: Float32Array,
  ) {
    super(models, features, common);
    this.index = new InvertedIndex(docs, features.sparseDims);
  }

  static fromParams(models: readonly string[], features: FeatureExtractor, common: CommonParams, raw: unknown): KnnPredictor {
    const p = knnParamsSchema.parse(raw);
    const docs = { docStart: decodeInt32(p.docStart), terms: decodeInt32(p.terms), weights: decodeFloat32(p.weights) };
    return new KnnPredictor(models, features, common, p.settings, p.ids, docs, decodeFloat32(p.scores));
  }

  get indexDocs(): SparseDocuments {
    return this.index.docs;
  }

  get exampleIds(): readonly string[] {
    return this.ids;
  }

  get exampleScores(): Float32Array {
    return this.scores;
  }

  protected modelParams(): unknown {
    const d = this.index.docs;
    return {
      settings: this.settings,
      ids: this.ids,
      docStart: encodeInt32(d.docStart),
      terms: encodeInt32(d.terms),
      weights: encodeFloat32(d.weights),
      scores: encodeFloat32(this.scores),
    };
  }

  /** Neighbours of a vector (`exclude` leaves one indexed example out, for leave-one-out). */
  neighbours(vector: FeatureVector, exclude = -1): Array<{ doc: number; similarity: number }> {
    const maxPostings = this.settings.maxTermShare >= 1 ? Infinity : Math.max(500, this.settings.maxTermShare * this.index.size);
    return this.index.search(vector.sparse, this.settings.k, exclude, maxPostings);
  }

  predictVector(vector: FeatureVector, exclude = -1): QualityPrediction {
    const m = this.models.length;
    const neighbours = this.neighbours(vector, exclude);
    const sums = new Float64Array(m);
    const weights = new Float64Array(m);
    for (const { doc, similarity } of neighbours) {
      const w = Math.max(0, similarity) ** this.settings.power;
      for (let j = 0; j < m; j++) {
        const score = this.scores[doc * m + j] ?? Number.NaN;
        if (Number.isNaN(score)) continue;
        sums[j] = (sums[j] ?? 0) + w * score;
        weights[j] = (weights[j] ?? 0) + w;
      }
    }
    const prior = this.settings.prior;
    const qualities = this.models.map((_, j) => {
      const mean = this.common.meanScores[j] ?? 0.5;
      const total = (weights[j] ?? 0) + prior;
      return total > 0 ? ((sums[j] ?? 0) + prior * mean) / total : mean;
    });
    const nearest = neighbours.slice(0, 3).map((n) => `${this.ids[n.doc] ?? n.doc} (${n.similarity.toFixed(2)})`);
    return {
      qualities,
      explanation: `knn: ${neighbours.length} nearest examples, e.g. ${nearest.join(", ") || "none"}; predicted ${formatQualities(this.models, qualities)}`,
      details: { neighbours: neighbours.slice(0, 5).map((n) => ({ id: this.ids[n.doc], similarity: n.similarity })) },
    };
  }
}
