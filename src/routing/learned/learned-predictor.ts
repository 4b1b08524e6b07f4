import { z } from "zod";
import type { ChatRequest } from "../../core/chat-request.js";
import type { FeatureExtractor, FeatureVector } from "../features/feature-extractor.js";
import type { QualityPrediction, QualityPredictor } from "./quality-predictor.js";

/** Parameters every learned predictor keeps beside its kind-specific ones. */
export const commonParamsSchema = z.object({
  meanScores: z.array(z.number()),
  meanOutputChars: z.array(z.number()),
});
export type CommonParams = z.output<typeof commonParamsSchema>;

/**
 * A quality predictor over built-in features: `predictVector` is pure and synchronous;
 * `predict` computes the features (asynchronously only when an embedder is configured).
 */
export abstract class LearnedPredictor implements QualityPredictor {
  abstract readonly kind: string;

  constructor(
    readonly models: readonly string[],
    readonly features: FeatureExtractor,
    readonly common: CommonParams,
  ) {}

  abstract predictVector(vector: FeatureVector): QualityPrediction;

  /** Kind-specific parameters (the artifact's `params.model`). */
  protected abstract modelParams(): unknown;

  predict(request: ChatRequest): QualityPrediction | Promise<QualityPrediction> {
    if (this.features.isSync) return this.predictVector(this.features.vector(request));
    return this.features.vectors([request]).then(([vector]) => {
      if (!vector) throw new Error("no feature vector");
      return this.predictVector(vector);
    });
  }

  toParams(): { common: CommonParams; model: unknown } {
    return { common: this.common, model: this.modelParams() };
  }
}

/** Logistic function, safe for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** "a 0.81, b 0.42" */
export function formatQualities(models: readonly string[], qualities: readonly number[]): string {
  return models.map((model, i) => `${model} ${(qualities[i] ?? 0).toFixed(2)}`).join(", ");
}
