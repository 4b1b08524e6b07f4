import { z } from "zod";
import type { Embedder } from "../features/embedder.js";
import { FeatureExtractor, featureParamsSchema } from "../features/feature-extractor.js";
import { EnsemblePredictor } from "./ensemble-predictor.js";
import { IrtKnnPredictor } from "./irt-knn-predictor.js";
import { KnnPredictor } from "./knn-predictor.js";
import { commonParamsSchema, type LearnedPredictor } from "./learned-predictor.js";
import { LinearPredictor } from "./linear-predictor.js";
import { NetPredictor } from "./net-predictor.js";
import type { RouterArtifact } from "./quality-predictor.js";
import { RandomPredictor, randomSettingsSchema } from "./random-predictor.js";

/** Rebuilds a predictor of one kind from its artifact parameters (training lives in `learning/training`). */
export type PredictorLoader = (
  models: readonly string[],
  features: FeatureExtractor,
  common: z.output<typeof commonParamsSchema>,
  params: unknown,
) => LearnedPredictor;

const ensembleParamsSchema = z.object({ members: z.array(z.object({ kind: z.string(), weight: z.number(), params: z.unknown() })) });

const loaders: Record<string, PredictorLoader> = {
  random: (models, features, c, params) => new RandomPredictor(models, features, c).withSeed(randomSettingsSchema.parse(params).seed),
  knn: (models, features, c, params) => KnnPredictor.fromParams(models, features, c, params),
  "irt-knn": (models, features, c, params) => IrtKnnPredictor.fromIrtParams(models, features, c, params),
  linear: (models, features, c, params) => LinearPredictor.fromParams(models, features, c, params),
  mlp: (models, features, c, params) => NetPredictor.fromParams("mlp", models, features, c, params),
  "matrix-factorization": (models, features, c, params) => NetPredictor.fromParams("matrix-factorization", models, features, c, params),
  ensemble: (models, features, c, params) => {
    const members = ensembleParamsSchema
      .parse(params)
      .members.map((member) => ({ predictor: loaderOf(member.kind)(models, features, c, member.params), weight: member.weight }));
    return new EnsemblePredictor(models, features, c, members);
  },
};

/** Adds a predictor kind the gateway can load (its trainer is registered in `learning/training`). */
export function registerPredictorLoader(kind: string, loader: PredictorLoader): void {
  loaders[kind] = loader;
}

/** The kinds an artifact may name. */
export function predictorKinds(): string[] {
  return Object.keys(loaders).sort();
}

function loaderOf(kind: string): PredictorLoader {
  const loader = loaders[kind];
  if (!loader) throw new Error(`unknown router kind "${kind}"; known kinds: ${predictorKinds().join(", ")}`);
  return loader;
}

const learnedParamsSchema = z.object({ common: commonParamsSchema, model: z.unknown() });

/** Rebuilds the predictor of an artifact (already validated with `parseRouterArtifact`). */
export function loadPredictor(artifact: RouterArtifact, embedder?: Embedder): LearnedPredictor {
  const load = loaderOf(artifact.kind);
  const features = FeatureExtractor.fromParams(featureParamsSchema.parse(artifact.features), embedder);
  const params = learnedParamsSchema.parse(artifact.params);
  return load(artifact.models, features, params.common, params.model);
}
