import { z } from "zod";
import type { FeatureExtractor, FeatureVector } from "../features/feature-extractor.js";
import { textStatNames } from "../features/text-stats.js";
import { decodeFloat32, encodeFloat32 } from "../features/sparse-vector.js";
import { LearnedPredictor, formatQualities, sigmoid, type CommonParams } from "./learned-predictor.js";
import type { QualityPrediction } from "./quality-predictor.js";

export const linearSettingsSchema = z.object({
  epochs: z.number().int().min(1).max(100).default(4),
  learningRate: z.number().positive().default(0.05),
  /** L2 penalty per example. */
  l2: z.number().min(0).default(1e-4),
  /**
   * Scale of the structural (dense) block against the TF-IDF block. The TF-IDF vector has unit
   * norm while each of the 28 standardised structural features has unit variance, so unscaled they
   * outweigh the text about √28 : 1 and a small training set overfits on them (MT-Bench, 72
   * rows: APGR 0.55 against 0.70 without them). 0.2 ≈ 1/√28 gives both blocks about unit norm.
   */
  denseWeight: z.number().min(0).default(0.2),
});
export type LinearSettings = z.output<typeof linearSettingsSchema>;

// Artifacts written before `denseWeight` existed scored the dense block unscaled.
const linearParamsSchema = z.object({
  settings: linearSettingsSchema.extend({ denseWeight: z.number().min(0).default(1) }),
  weights: z.string(),
  width: z.number().int(),
});

/**
 * Logistic regression per model over TF-IDF + structural features, trained jointly by
 * AdaGrad SGD with a seeded shuffle. Weight layout: per model [sparse | dense | bias].
 */
export class LinearPredictor extends LearnedPredictor {
  readonly kind: string = "linear";

  constructor(
    models: readonly string[],
    features: FeatureExtractor,
    common: CommonParams,
    readonly settings: LinearSettings,
    private readonly weights: Float32Array,
    private readonly width: number,
  ) {
    super(models, features, common);
  }

  static fromParams(models: readonly string[], features: FeatureExtractor, common: CommonParams, raw: unknown): LinearPredictor {
    const p = linearParamsSchema.parse(raw);
    const weights = decodeFloat32(p.weights);
    if (weights.length !== p.width * models.length || p.width !== features.sparseDims + features.denseDims + 1) {
      throw new Error(`linear weights do not match the features (${weights.length} weights, width ${p.width})`);
    }
    return new LinearPredictor(models, features, common, p.settings, weights, p.width);
  }

  protected modelParams(): unknown {
    return { settings: this.settings, weights: encodeFloat32(this.weights), width: this.width };
  }

  predictVector(vector: FeatureVector): QualityPrediction {
    const sparseDims = this.features.sparseDims;
    const qualities = this.models.map((_, j) =>
      sigmoid(linearScore(this.weights, j * this.width, sparseDims, vector, this.settings.denseWeight)),
    );
    const last = this.models.length - 1;
    const top = topDenseFeatures(this.weights, last * this.width + sparseDims, vector.dense, this.settings.denseWeight);
    return {
      qualities,
      explanation: `linear: predicted ${formatQualities(this.models, qualities)}; strongest structural features for ${this.models[last]}: ${top}`,
    };
  }
}

/** w·x + b over [sparse | denseWeight · dense | bias] starting at `base`. */
export function linearScore(weights: Float32Array, base: number, sparseDims: number, vector: FeatureVector, denseWeight = 1): number {
  let sum = weights[base + sparseDims + vector.dense.length] ?? 0;
  const { indices, values } = vector.sparse;
  for (let i = 0; i < indices.length; i++) sum += (values[i] ?? 0) * (weights[base + (indices[i] ?? 0)] ?? 0);
  for (let d = 0; d < vector.dense.length; d++) sum += denseWeight * (vector.dense[d] ?? 0) * (weights[base + sparseDims + d] ?? 0);
  return sum;
}

function topDenseFeatures(weights: Float32Array, offset: number, dense: Float32Array, denseWeight: number): string {
  const contributions = Array.from(dense, (value, d) => ({
    name: textStatNames[d] ?? `f${d}`,
    value: denseWeight * value * (weights[offset + d] ?? 0),
  }));
  contributions.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  return (
    contributions
      .slice(0, 3)
      .map((c) => `${c.name} ${c.value >= 0 ? "+" : ""}${c.value.toFixed(2)}`)
      .join(", ") || "none"
  );
}
