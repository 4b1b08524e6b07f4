import { z } from "zod";
import type { Embedder } from "../features/embedder.js";
import type { EmbeddingModelSource } from "../features/embedding-model-source.js";
import { FeatureExtractor, featureParamsSchema, featureSpecSchema, type FeatureSpec } from "../features/feature-extractor.js";
import { EnsemblePredictor } from "./ensemble-predictor.js";
import { IrtKnnPredictor, irtKnnSettingsSchema } from "./irt-knn-predictor.js";
import { KnnPredictor, knnSettingsSchema } from "./knn-predictor.js";
import { commonParamsSchema, type LearnedPredictor } from "./learned-predictor.js";
import { LinearPredictor, linearSettingsSchema } from "./linear-predictor.js";
import { NetPredictor, netSettingsSchema } from "./net-predictor.js";
import type { OutcomeRow } from "./outcome-row.js";
import type { RouterArtifact, TrainOptions, TrainPredictor } from "./quality-predictor.js";
import { RandomPredictor, randomSettingsSchema } from "./random-predictor.js";
import { buildTrainingSet, type TrainingSet } from "./training-set.js";

/** Training options of the built-in kinds: an embedder instance may be passed besides the settings. */
export interface LearnedTrainOptions extends TrainOptions {
  embedder?: Embedder;
  /** The providers' embedding models, to build the embedder the settings name (when no `embedder` is given). */
  embeddingModels?: EmbeddingModelSource;
}

type KindTrainer = (
  set: TrainingSet,
  rows: readonly OutcomeRow[],
  settings: Record<string, unknown>,
  options: LearnedTrainOptions,
) => LearnedPredictor;
type KindLoader = (
  models: readonly string[],
  features: FeatureExtractor,
  common: z.output<typeof commonParamsSchema>,
  params: unknown,
) => LearnedPredictor;

const wordFeatures = (dims: number, stats: boolean): FeatureSpec => ({
  tfidf: { dims, wordNgrams: [1, 2], charNgrams: null, contextWeight: 0.3, minDf: 1 },
  stats,
});

interface KindEntry {
  features: FeatureSpec;
  train: KindTrainer;
  load: KindLoader;
}

const kinds: Record<string, KindEntry> = {
  random: {
    features: { tfidf: { dims: 16, wordNgrams: [1, 1], charNgrams: null, contextWeight: 0, minDf: 1 }, stats: false },
    train: (set, _rows, settings, options) =>
      new RandomPredictor(set.models, set.features, common(set)).withSeed(
        randomSettingsSchema.parse({ seed: options.seed, ...settings }).seed,
      ),
    load: (models, features, c, params) => new RandomPredictor(models, features, c).withSeed(randomSettingsSchema.parse(params).seed),
  },
  knn: {
    features: wordFeatures(1 << 18, false),
    train: (set, rows, settings) =>
      KnnPredictor.train(
        set,
        rows.map((row) => row.id),
        knnSettingsSchema.parse(settings),
      ),
    load: (models, features, c, params) => KnnPredictor.fromParams(models, features, c, params),
  },
  "irt-knn": {
    features: wordFeatures(1 << 18, false),
    train: (set, rows, settings) =>
      IrtKnnPredictor.trainIrt(
        set,
        rows.map((row) => row.id),
        irtKnnSettingsSchema.parse(settings),
      ),
    load: (models, features, c, params) => IrtKnnPredictor.fromIrtParams(models, features, c, params),
  },
  linear: {
    features: wordFeatures(1 << 18, true),
    train: (set, _rows, settings, options) => LinearPredictor.train(set, linearSettingsSchema.parse(settings), options),
    load: (models, features, c, params) => LinearPredictor.fromParams(models, features, c, params),
  },
  mlp: {
    features: wordFeatures(1 << 15, true),
    train: (set, _rows, settings, options) => NetPredictor.train("mlp", set, netSettingsSchema.parse(settings), options),
    load: (models, features, c, params) => NetPredictor.fromParams("mlp", models, features, c, params),
  },
  "matrix-factorization": {
    features: wordFeatures(1 << 15, true),
    train: (set, _rows, settings, options) => NetPredictor.train("matrix-factorization", set, netSettingsSchema.parse(settings), options),
    load: (models, features, c, params) => NetPredictor.fromParams("matrix-factorization", models, features, c, params),
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
const ensembleParamsSchema = z.object({ members: z.array(z.object({ kind: z.string(), weight: z.number(), params: z.unknown() })) });

kinds.ensemble = {
  features: wordFeatures(1 << 18, true),
  train: (set, rows, settings, options) => {
    const members = ensembleSettingsSchema.parse(settings).members.map((member) => {
      if (member.kind === "ensemble") throw new Error("an ensemble cannot contain an ensemble");
      return { predictor: entryOf(member.kind).train(set, rows, member.settings, options), weight: member.weight };
    });
    return new EnsemblePredictor(set.models, set.features, common(set), members);
  },
  load: (models, features, c, params) => {
    const members = ensembleParamsSchema
      .parse(params)
      .members.map((member) => ({ predictor: entryOf(member.kind).load(models, features, c, member.params), weight: member.weight }));
    return new EnsemblePredictor(models, features, c, members);
  },
};

function common(set: TrainingSet): z.output<typeof commonParamsSchema> {
  return { meanScores: set.meanScores, meanOutputChars: set.meanOutputChars };
}

/** Adds a predictor kind (used by the ensemble and by library users). */
export function registerPredictorKind(kind: string, entry: KindEntry): void {
  kinds[kind] = entry;
}

export function predictorKinds(): string[] {
  return Object.keys(kinds).sort();
}

function entryOf(kind: string): KindEntry {
  const entry = kinds[kind];
  if (!entry) throw new Error(`unknown router kind "${kind}"; known kinds: ${predictorKinds().join(", ")}`);
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
    const { createEmbedder } = await import("../features/create-embedder.js");
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

const learnedParamsSchema = z.object({ common: commonParamsSchema, model: z.unknown() });

/** Rebuilds the predictor of an artifact (already validated with `parseRouterArtifact`). */
export function loadPredictor(artifact: RouterArtifact, embedder?: Embedder): LearnedPredictor {
  const entry = entryOf(artifact.kind);
  const features = FeatureExtractor.fromParams(featureParamsSchema.parse(artifact.features), embedder);
  const params = learnedParamsSchema.parse(artifact.params);
  return entry.load(artifact.models, features, params.common, params.model);
}

/** The artifact of a trained predictor. */
export function toArtifact(
  predictor: LearnedPredictor,
  training: RouterArtifact["training"],
  prices?: RouterArtifact["prices"],
): RouterArtifact {
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
  if (prices) artifact.prices = prices;
  return artifact;
}
