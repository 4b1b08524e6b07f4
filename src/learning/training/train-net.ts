import { NetPredictor, type NetSettings } from "../../routing/learned/net-predictor.js";
import { TwoLayerNet } from "../../routing/learned/two-layer-net.js";
import type { TrainOptions } from "./train-options.js";
import type { TrainingSet } from "./training-set.js";

/** Fits the two-layer network of `mlp` (ReLU) or `matrix-factorization` (identity) on the training set. */
export function trainNet(
  kind: "mlp" | "matrix-factorization",
  set: TrainingSet,
  settings: NetSettings,
  options: Pick<TrainOptions, "seed" | "onProgress">,
): NetPredictor {
  const shape = {
    sparseDims: set.features.sparseDims,
    denseDims: set.features.denseDims,
    hidden: settings.hidden,
    outputs: set.models.length,
    activation: kind === "mlp" ? ("relu" as const) : ("identity" as const),
  };
  const net = TwoLayerNet.initial(shape, options.seed, set.meanScores);
  net.train(set.vectors, set.scores, {
    epochs: settings.epochs,
    learningRate: settings.learningRate,
    l2: settings.l2,
    seed: options.seed,
    onEpoch: (epoch) => options.onProgress?.(epoch, settings.epochs, `${kind} epochs`),
  });
  return new NetPredictor(
    kind,
    set.models,
    set.features,
    { meanScores: set.meanScores, meanOutputChars: set.meanOutputChars },
    settings,
    net,
  );
}
