import { z } from "zod";
import type { FeatureExtractor, FeatureVector } from "../features/feature-extractor.js";
import { decodeFloat32, encodeFloat32 } from "../features/sparse-vector.js";
import type { SparseDocuments } from "./inverted-index.js";
import { KnnPredictor, knnSettingsSchema } from "./knn-predictor.js";
import { formatQualities, sigmoid, type CommonParams } from "./learned-predictor.js";
import type { QualityPrediction } from "./quality-predictor.js";

export const irtKnnSettingsSchema = knnSettingsSchema.extend({
  k: z.number().int().min(1).max(500).default(100),
  topTerms: z.number().int().min(0).default(256),
  maxTermShare: z.number().min(0).max(1).default(0.05),
  /** Pseudo-count pulling each model's neighbour residual toward the IRT estimate. */
  residualPrior: z.number().min(0).default(10),
  /** Pseudo-count pulling the neighbours' difficulty toward the average item. */
  difficultyPrior: z.number().min(0).default(1),
});
export type IrtKnnSettings = z.output<typeof irtKnnSettingsSchema>;

const irtParamsSchema = z.object({
  knn: z.unknown(),
  settings: irtKnnSettingsSchema,
  ability: z.array(z.number()),
  difficulty: z.string(),
});

/**
 * Item-response-theory kNN: a Rasch model fitted on every model's outcomes gives each
 * training item a difficulty and each model an ability; a request's difficulty is the
 * similarity-weighted difficulty of its neighbours, and each model's quality is
 * σ(ability − difficulty) plus that model's own (shrunk) residual on the neighbours. So the
 * neighbours' outcomes of all models inform every model's prediction.
 */
export class IrtKnnPredictor extends KnnPredictor {
  override readonly kind: string = "irt-knn";

  constructor(
    models: readonly string[],
    features: FeatureExtractor,
    common: CommonParams,
    readonly irtSettings: IrtKnnSettings,
    ids: readonly string[],
    docs: SparseDocuments,
    private readonly outcomeScores: Float32Array,
    private readonly ability: readonly number[],
    private readonly difficulty: Float32Array,
  ) {
    super(models, features, common, irtSettings, ids, docs, outcomeScores);
  }

  static fromIrtParams(models: readonly string[], features: FeatureExtractor, common: CommonParams, raw: unknown): IrtKnnPredictor {
    const p = irtParamsSchema.parse(raw);
    const base = KnnPredictor.fromParams(models, features, common, p.knn);
    return new IrtKnnPredictor(
      models,
      features,
      common,
      p.settings,
      base.exampleIds,
      base.indexDocs,
      base.exampleScores,
      p.ability,
      decodeFloat32(p.difficulty),
    );
  }

  protected override modelParams(): unknown {
    return { knn: super.modelParams(), settings: this.irtSettings, ability: this.ability, difficulty: encodeFloat32(this.difficulty) };
  }

  override predictVector(vector: FeatureVector, exclude = -1): QualityPrediction {
    const m = this.models.length;
    const neighbours = this.neighbours(vector, exclude);
    let weightSum = 0;
    let difficultySum = 0;
    for (const { doc, similarity } of neighbours) {
      const w = Math.max(0, similarity) ** this.settings.power;
      weightSum += w;
      difficultySum += w * (this.difficulty[doc] ?? 0);
    }
    const difficulty = difficultySum / (weightSum + this.irtSettings.difficultyPrior);
    const qualities: number[] = [];
    for (let j = 0; j < m; j++) {
      let residual = 0;
      let weights = 0;
      for (const { doc, similarity } of neighbours) {
        const score = this.outcomeScores[doc * m + j] ?? Number.NaN;
        if (Number.isNaN(score)) continue;
        const w = Math.max(0, similarity) ** this.settings.power;
        residual += w * (score - sigmoid((this.ability[j] ?? 0) - (this.difficulty[doc] ?? 0)));
        weights += w;
      }
      const base = sigmoid((this.ability[j] ?? 0) - difficulty);
      qualities.push(Math.min(1, Math.max(0, base + residual / (weights + this.irtSettings.residualPrior))));
    }
    const nearest = neighbours.slice(0, 3).map((n) => `${this.exampleIds[n.doc] ?? n.doc} (${n.similarity.toFixed(2)})`);
    return {
      qualities,
      explanation: `irt-knn: difficulty ${difficulty.toFixed(2)} from ${neighbours.length} neighbours, e.g. ${nearest.join(", ") || "none"}; predicted ${formatQualities(this.models, qualities)}`,
      details: { difficulty, neighbours: neighbours.slice(0, 5).map((n) => ({ id: this.exampleIds[n.doc], similarity: n.similarity })) },
    };
  }
}
