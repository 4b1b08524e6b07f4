import { z } from "zod";
import type { PriceTable } from "../../pricing/price-table.js";
import { featureSpecSchema, type FeatureSpec } from "../../routing/features/feature-extractor.js";
import { EnsemblePredictor } from "../../routing/learned/ensemble-predictor.js";
import { irtKnnSettingsSchema } from "../../routing/learned/irt-knn-predictor.js";
import { knnSettingsSchema } from "../../routing/learned/knn-predictor.js";
import type { CommonParams, LearnedPredictor } from "../../routing/learned/learned-predictor.js";
import { linearSettingsSchema } from "../../routing/learned/linear-predictor.js";
import { netSettingsSchema } from "../../routing/learned/net-predictor.js";
import type { RouterArtifact } from "../../routing/learned/quality-predictor.js";
import { RandomPredictor, randomSettingsSchema } from "../../routing/learned/random-predictor.js";
import type { OutcomeRow } from "../outcomes/outcome-row.js";
import { trainIrtKnn, trainKnn } from "./train-knn.js";
import { trainLinear } from "./train-linear.js";
import { trainNet } from "./train-net.js";
import type { LearnedTrainOptions, TrainPredictor } from "./train-options.js";
import { buildTrainingSet, type TrainingSet } from "./training-set.js";

type KindTrainer = (
  set: TrainingSet,
  rows: readonly OutcomeRow[],
  settings: Record<string, unknown>,
  options: LearnedTrainOptions,
) => LearnedPredictor;

/** How one kind trains: its default features and its trainer. */
export interface TrainerEntry {
  features: FeatureSpec;
  train: KindTrainer;
}

const wordFeatures = (dims: number, stats: boolean): FeatureSpec => ({
  tfidf: { dims, wordNgrams: [1, 2], charNgrams: null, contextWeight: 0.3, minDf: 1 },
  stats,
});

const kinds: Record<string, TrainerEntry> = {
  random: {
    features: { tfidf: { dims: 16, wordNgrams: [1, 1], charNgrams: null, contextWeight: 0, minDf: 1 }, stats: false },
    train: (set, _rows, settings, options) =>
      new RandomPredictor(set.models, set.features, common(set)).withSeed(
        randomSettingsSchema.parse({ seed: options.seed, ...settings }).seed,
      ),
  },
  knn: {
    features: wordFeatures(1 << 18, false),
    train: (set, rows, settings) =>
      trainKnn(
        set,
        rows.map((row) => row.id),
        knnSettingsSchema.parse(settings),
      ),
  },
  "irt-knn": {
    features: wordFeatures(1 << 18, false),
    train: (set, rows, settings) =>
      trainIrtKnn(
        set,
        rows.map((row) => row.id),
        irtKnnSettingsSchema.parse(settings),
      ),
  },
  linear: {
    features: wordFeatures(1 << 18, true),
    train: (set, _rows, settings, options) => trainLinear(set, linearSettingsSchema.parse(settings), options),
  },
  mlp: {
    features: wordFeatures(1 << 15, true),
    train: (set, _rows, settings, options) => trainNet("mlp", set, netSettingsSchema.parse(settings), options),
  },
  "matrix-factorization": {
    features: wordFeatures(1 << 15, true),
    train: (set, _rows, settings, options) => trainNet("matrix-factorization", set, netSettingsSchema.parse(settings), options),
  },
};

const ensembleSettingsSchema = z.object({
  members: z
    .array(
      z.object({ kind: z.string(), weight: z.number().positive().default(1), settings: z.record(z.string(), z.unknown()).default({}) }),
    )
    .min(1)
    .default([
      { kind: "knn", weight: 1, settings: { k: 50, topTerms: 0, maxTermShare: 0.05 } },
      { kind: "linear", weight: 1, settings: {} },
    ]),
});

kinds.ensemble = {
  features: wordFeatures(1 << 18, true),
  train: (set, rows, settings, options) => {
    const members = ensembleSettingsSchema.parse(settings).members.map((member) => {
      if (member.kind === "ensemble") throw new Error("an ensemble cannot contain an ensemble");
      return { predictor: entryOf(member.kind).train(set, rows, member.settings, options), weight: member.weight };
    });
    return new EnsemblePredictor(set.models, set.features, common(set), members);
  },
};

function common(set: TrainingSet): CommonParams {
  return { meanScores: set.meanScores, meanOutputChars: set.meanOutputChars };
}

/** Adds a trainable kind (library users; pair it with `registerPredictorLoader` so the gateway can load it). */
export function registerTrainerKind(kind: string, entry: TrainerEntry): void {
  kinds[kind] = entry;
}

/** The kinds `rightsize train` and `rightsize eval` can train. */
export function trainableKinds(): string[] {
  return Object.keys(kinds).sort();
}

function entryOf(kind: string): TrainerEntry {
  const entry = kinds[kind];
  if (!entry) throw new Error(`unknown router kind "${kind}"; known kinds: ${trainableKinds().join(", ")}`);
  return entry;
}

/** The feature spec a kind trains with: its default, overridden by `settings.features`. */
export function featureSpecFor(kind: string, settings: Record<string, unknown> = {}): FeatureSpec {
  const base = entryOf(kind).features;
  const override = (settings.features ?? {}) as Partial<FeatureSpec>;
  return featureSpecSchema.parse({ ...base, ...override, tfidf: { ...base.tfidf, ...(override.tfidf ?? {}) } });
}

/** Trains a predictor of a kind on outcome rows (the registry behind `rightsize train` and `rightsize eval`). */
export const trainPredictor = async (
  kind: string,
  rows: readonly OutcomeRow[],
  options: LearnedTrainOptions,
): Promise<LearnedPredictor> => {
  const entry = entryOf(kind);
  const { features: _features, ...settings } = options.settings ?? {};
  void _features;
  options.onProgress?.(0, 1, "features");
  const spec = featureSpecFor(kind, options.settings);
  let embedder = options.embedder;
  if (spec.embedder && !embedder) {
    const { createEmbedder } = await import("../../routing/features/create-embedder.js");
    const cacheDir = typeof settings.embeddingCacheDir === "string" ? settings.embeddingCacheDir : undefined;
    embedder = await createEmbedder(spec.embedder, { models: options.embeddingModels, ...(cacheDir ? { cacheDir } : {}) });
  }
  const set = await buildTrainingSet(rows, options.models, spec, embedder);
  options.onProgress?.(1, 1, "features");
  return entry.train(set, rows, settings, options);
};

/** The registry as the contract's `TrainPredictor` for one kind. */
export function predictorTrainer(kind: string): TrainPredictor {
  return (rows, options) => trainPredictor(kind, rows, options);
}

/** The artifact of a trained predictor. */
export function toArtifact(predictor: LearnedPredictor, training: RouterArtifact["training"], prices?: PriceTable): RouterArtifact {
  const artifact: RouterArtifact = {
    format: "rightsize-router",
    version: 1,
    kind: predictor.kind,
    models: [...predictor.models],
    createdAt: new Date().toISOString(),
    training,
    features: predictor.features.toParams() as unknown as Record<string, unknown>,
    params: predictor.toParams(),
  };
  if (prices) artifact.prices = prices.toRecord();
  return artifact;
}
