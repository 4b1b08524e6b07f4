import { LinearPredictor, linearScore, type LinearSettings } from "../../routing/learned/linear-predictor.js";
import { sigmoid } from "../../routing/learned/learned-predictor.js";
import { SeededRandom } from "../../routing/learned/seeded-random.js";
import type { TrainOptions } from "./train-options.js";
import type { TrainingSet } from "./training-set.js";

/**
 * Logistic regression per model, trained jointly by AdaGrad SGD with a seeded shuffle.
 * Weight layout: per model [sparse | dense | bias].
 */
export function trainLinear(
  set: TrainingSet,
  settings: LinearSettings,
  options: Pick<TrainOptions, "seed" | "onProgress">,
): LinearPredictor {
  const m = set.models.length;
  const sparseDims = set.features.sparseDims;
  const denseDims = set.features.denseDims;
  const width = sparseDims + denseDims + 1;
  const weights = new Float32Array(width * m);
  const squares = new Float32Array(width * m).fill(1e-6);
  const random = new SeededRandom(options.seed);
  const n = set.vectors.length;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    const order = random.permutation(n);
    for (const row of order) {
      const vector = set.vectors[row];
      if (!vector) continue;
      for (let j = 0; j < m; j++) {
        const target = set.scores[row * m + j] ?? Number.NaN;
        if (Number.isNaN(target)) continue;
        const base = j * width;
        const gradient = sigmoid(linearScore(weights, base, sparseDims, vector, settings.denseWeight)) - target;
        const { indices, values } = vector.sparse;
        for (let i = 0; i < indices.length; i++) {
          const at = base + (indices[i] ?? 0);
          adagrad(weights, squares, at, gradient * (values[i] ?? 0) + settings.l2 * (weights[at] ?? 0), settings.learningRate);
        }
        for (let d = 0; d < denseDims; d++) {
          const at = base + sparseDims + d;
          adagrad(
            weights,
            squares,
            at,
            gradient * settings.denseWeight * (vector.dense[d] ?? 0) + settings.l2 * (weights[at] ?? 0),
            settings.learningRate,
          );
        }
        adagrad(weights, squares, base + width - 1, gradient, settings.learningRate);
      }
    }
    options.onProgress?.(epoch + 1, settings.epochs, "linear epochs");
  }
  return new LinearPredictor(
    set.models,
    set.features,
    { meanScores: set.meanScores, meanOutputChars: set.meanOutputChars },
    settings,
    weights,
    width,
  );
}

function adagrad(weights: Float32Array, squares: Float32Array, at: number, gradient: number, rate: number): void {
  const sq = (squares[at] ?? 0) + gradient * gradient;
  squares[at] = sq;
  weights[at] = (weights[at] ?? 0) - (rate * gradient) / Math.sqrt(sq);
}
