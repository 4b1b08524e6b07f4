import type { FeatureExtractor, FeatureVector } from "../features/feature-extractor.js";
import { LearnedPredictor, formatQualities, sigmoid, type CommonParams } from "./learned-predictor.js";
import type { QualityPrediction } from "./quality-predictor.js";

export interface EnsembleMember {
  predictor: LearnedPredictor;
  weight: number;
}

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/**
 * Several predictors over one shared feature vector, combined by a weighted mean of their
 * predicted logits per model; the explanation names each member's view.
 */
export class EnsemblePredictor extends LearnedPredictor {
  readonly kind: string = "ensemble";

  constructor(
    models: readonly string[],
    features: FeatureExtractor,
    common: CommonParams,
    readonly members: readonly EnsembleMember[],
  ) {
    super(models, features, common);
  }

  predictVector(vector: FeatureVector): QualityPrediction {
    const m = this.models.length;
    const sums = new Float64Array(m);
    let total = 0;
    const parts: string[] = [];
    const details: Record<string, unknown> = {};
    for (const { predictor, weight } of this.members) {
      const prediction = predictor.predictVector(vector);
      for (let j = 0; j < m; j++) sums[j] = (sums[j] ?? 0) + weight * logit(prediction.qualities[j] ?? 0.5);
      total += weight;
      parts.push(`${predictor.kind} ${formatQualities(this.models, prediction.qualities)}`);
      if (prediction.details) details[predictor.kind] = prediction.details;
    }
    const qualities = Array.from(sums, (sum) => sigmoid(sum / Math.max(1e-9, total)));
    return { qualities, explanation: `ensemble of ${this.members.length}: ${parts.join("; ")}`, details };
  }

  protected modelParams(): unknown {
    return { members: this.members.map(({ predictor, weight }) => ({ kind: predictor.kind, weight, params: predictor.toParams().model })) };
  }
}
