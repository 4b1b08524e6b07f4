import { z } from "zod";
import type { FeatureVector } from "../features/feature-extractor.js";
import { hashString } from "../features/hash-features.js";
import { LearnedPredictor, formatQualities } from "./learned-predictor.js";
import type { QualityPrediction } from "./quality-predictor.js";

export const randomSettingsSchema = z.object({ seed: z.number().int().default(0) });

/**
 * The baseline: a uniform quality per model drawn from a hash of the request text and the
 * seed, so the same request always gets the same decision.
 */
export class RandomPredictor extends LearnedPredictor {
  readonly kind: string = "random";
  private seed = 0;

  withSeed(seed: number): this {
    this.seed = seed;
    return this;
  }

  predictVector(vector: FeatureVector): QualityPrediction {
    const text = `${vector.text.context}\n${vector.text.main}`;
    const qualities = this.models.map((model) => hashString(`${model}\u0000${text}`, this.seed) / 4294967296);
    return { qualities, explanation: `random baseline (seed ${this.seed}): ${formatQualities(this.models, qualities)}` };
  }

  protected modelParams(): unknown {
    return { seed: this.seed };
  }
}
