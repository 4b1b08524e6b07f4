import { z } from "zod";
import type { FeatureExtractor, FeatureVector } from "../features/feature-extractor.js";
import { decodeFloat32, encodeFloat32 } from "../features/sparse-vector.js";
import { LearnedPredictor, formatQualities, type CommonParams } from "./learned-predictor.js";
import type { QualityPrediction } from "./quality-predictor.js";
import { TwoLayerNet } from "./two-layer-net.js";

export const netSettingsSchema = z.object({
  hidden: z.number().int().min(1).max(512).default(16),
  epochs: z.number().int().min(1).max(200).default(5),
  learningRate: z.number().positive().default(0.05),
  l2: z.number().min(0).default(1e-5),
});
export type NetSettings = z.output<typeof netSettingsSchema>;

const netParamsSchema = z.object({
  settings: netSettingsSchema,
  activation: z.enum(["relu", "identity"]),
  weights: z.string(),
});

/**
 * Two neural predictors over the same features:
 * - `mlp`: a small ReLU network with one output per model (multi-task).
 * - `matrix-factorization`: RouteLLM's MF generalised to N models: quality_m = σ(v_mᵀ(P·x + b) + c_m),
 *   a learned d-dimensional embedding v_m per model against a projection P of the prompt features.
 */
export class NetPredictor extends LearnedPredictor {
  constructor(
    readonly kind: "mlp" | "matrix-factorization",
    models: readonly string[],
    features: FeatureExtractor,
    common: CommonParams,
    readonly settings: NetSettings,
    private readonly net: TwoLayerNet,
  ) {
    super(models, features, common);
  }

  static fromParams(
    kind: "mlp" | "matrix-factorization",
    models: readonly string[],
    features: FeatureExtractor,
    common: CommonParams,
    raw: unknown,
  ): NetPredictor {
    const p = netParamsSchema.parse(raw);
    const shape = {
      sparseDims: features.sparseDims,
      denseDims: features.denseDims,
      hidden: p.settings.hidden,
      outputs: models.length,
      activation: p.activation,
    };
    return new NetPredictor(kind, models, features, common, p.settings, new TwoLayerNet(shape, decodeFloat32(p.weights)));
  }

  protected modelParams(): unknown {
    return { settings: this.settings, activation: this.net.shape.activation, weights: encodeFloat32(this.net.weights) };
  }

  predictVector(vector: FeatureVector): QualityPrediction {
    const qualities = this.net.predict(vector);
    const terms = vector.sparse.indices.length;
    return {
      qualities,
      explanation: `${this.kind}: predicted ${formatQualities(this.models, qualities)} from ${terms} text features and ${vector.dense.length} structural features`,
    };
  }
}
