import type { Embedder } from "../../routing/features/embedder.js";
import { FeatureExtractor, type FeatureSpec, type FeatureVector } from "../../routing/features/feature-extractor.js";
import { promptRequest } from "../../routing/features/request-feature-text.js";
import type { OutcomeRow } from "../outcomes/outcome-row.js";

/** Training rows turned into features and an n × m score matrix (NaN where a model is missing). */
export interface TrainingSet {
  models: string[];
  features: FeatureExtractor;
  vectors: FeatureVector[];
  /** Row-major: scores[row * models.length + model]. */
  scores: Float32Array;
  /** Mean score per model over the rows that have it. */
  meanScores: number[];
  /** Mean output characters per model (for cost estimates). */
  meanOutputChars: number[];
}

export function scoreMatrix(rows: readonly OutcomeRow[], models: readonly string[]): Float32Array {
  const scores = new Float32Array(rows.length * models.length);
  rows.forEach((row, r) => {
    models.forEach((model, m) => {
      scores[r * models.length + m] = row.outcomes[model]?.score ?? Number.NaN;
    });
  });
  return scores;
}

function columnMeans(
  rows: readonly OutcomeRow[],
  models: readonly string[],
  pick: (o: { score: number; output_chars: number }) => number,
): number[] {
  return models.map((model) => {
    let sum = 0;
    let n = 0;
    for (const row of rows) {
      const outcome = row.outcomes[model];
      if (outcome) {
        sum += pick(outcome);
        n++;
      }
    }
    return n ? sum / n : 0;
  });
}

/** Fits the features on the rows and builds the training set. */
export async function buildTrainingSet(
  rows: readonly OutcomeRow[],
  models: readonly string[],
  spec: FeatureSpec,
  embedder?: Embedder,
): Promise<TrainingSet> {
  if (rows.length === 0) throw new Error("no training rows");
  const requests = rows.map((row) => promptRequest(row.prompt));
  const features = FeatureExtractor.fit(structuredClone(spec), requests, embedder);
  const vectors = await features.vectors(requests);
  if (spec.embedder) {
    const first = vectors[0];
    features.spec.embeddingDims = first ? first.sparse.indices.length - countBelow(first, spec.tfidf.dims) : 0;
  }
  return {
    models: [...models],
    features,
    vectors,
    scores: scoreMatrix(rows, models),
    meanScores: columnMeans(rows, models, (o) => o.score),
    meanOutputChars: columnMeans(rows, models, (o) => o.output_chars),
  };
}

function countBelow(vector: FeatureVector, dims: number): number {
  let n = 0;
  for (const index of vector.sparse.indices) if (index < dims) n++;
  return n;
}
