import { AUTO_ROUTER, trainAutoPredictor } from "../selection/train-auto-predictor.js";
import { toArtifact } from "../training/train-predictor.js";
import { type TrainCandidate, trainKind } from "./retrain-router.js";

/** The trainer of `rightsize retrain`: the automatic selection (time-bounded) or one kind. */
export function candidateTrainer(kind: string, timeLimitS: number): TrainCandidate {
  if (kind !== AUTO_ROUTER) return trainKind(kind);
  return async (rows, options) => {
    const { predictor, selection } = await trainAutoPredictor(rows, { ...options, timeBudgetMs: timeLimitS * 1000 });
    return {
      artifact: toArtifact(predictor, { dataFile: "", dataSha256: "", rows: rows.length, seed: options.seed, validation: {} }),
      chosen: `${selection.chosen.name} (auto)`,
    };
  };
}
