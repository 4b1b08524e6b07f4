import { promptRequest } from "../../../routing/features/request-feature-text.js";
import type { OutcomeRow } from "../../outcomes/outcome-row.js";
import type { QualityPredictor } from "../../../routing/learned/quality-predictor.js";
import type { TrainOptions } from "../../training/train-options.js";

/** Trains a predictor of one kind (the learned-routing registry's `trainPredictor`, or a test double). */
export type TrainPredictorOfKind = (kind: string, rows: readonly OutcomeRow[], options: TrainOptions) => Promise<QualityPredictor>;

export interface OutOfFoldOptions {
  kind: string;
  models: string[];
  seed: number;
  settings?: Record<string, unknown>;
  train: TrainPredictorOfKind;
  onProgress?: (message: string) => void;
}

export interface OutOfFoldPredictions {
  /** predicted[m][i]: quality of model m on row i from the predictor that did not see row i. */
  predicted: Float64Array[];
  /** meanOutputChars[f][m]: mean answer length per model in the training folds of fold f. */
  meanOutputChars: number[][];
  /** Fold of every row. */
  foldOf: Int32Array;
  trainMs: number;
  predictMs: number;
}

/** k-fold cross-validation: train on k−1 folds, predict the held-out fold, for every fold. */
export async function outOfFoldPredictions(
  rows: readonly OutcomeRow[],
  folds: number[][],
  options: OutOfFoldOptions,
): Promise<OutOfFoldPredictions> {
  const n = rows.length;
  const predicted = options.models.map(() => new Float64Array(n).fill(Number.NaN));
  const foldOf = new Int32Array(n);
  const meanOutputChars: number[][] = [];
  let trainMs = 0;
  let predictMs = 0;
  for (let f = 0; f < folds.length; f++) {
    const heldOut = new Set(folds[f]);
    for (const i of folds[f]!) foldOf[i] = f;
    const training = rows.filter((_, i) => !heldOut.has(i));
    options.onProgress?.(`${options.kind}: fold ${f + 1}/${folds.length}: training on ${training.length} rows`);
    const started = performance.now();
    const trainOptions: TrainOptions = { models: options.models, seed: options.seed + f };
    if (options.settings) trainOptions.settings = options.settings;
    const predictor = await options.train(options.kind, training, trainOptions);
    const trained = performance.now();
    trainMs += trained - started;
    meanOutputChars.push(options.models.map((model) => mean(training.map((row) => row.outcomes[model]?.output_chars ?? 0))));
    const index = options.models.map((model) => predictor.models.indexOf(model));
    const missing = options.models.filter((_, m) => index[m]! < 0);
    if (missing.length) throw new Error(`${options.kind} predictor does not predict ${missing.join(", ")}`);
    for (const i of folds[f]!) {
      const prediction = await predictor.predict(promptRequest(rows[i]!.prompt));
      for (const [m, p] of index.entries()) predicted[m]![i] = prediction.qualities[p] ?? Number.NaN;
    }
    predictMs += performance.now() - trained;
  }
  return { predicted, meanOutputChars, foldOf, trainMs, predictMs };
}

function mean(values: number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0;
}
