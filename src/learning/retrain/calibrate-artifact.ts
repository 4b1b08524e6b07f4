import type { PriceTable } from "../../pricing/price-table.js";
import { promptRequest } from "../../routing/features/request-feature-text.js";
import { loadPredictor } from "../../routing/learned/predictor-registry.js";
import type { RouterArtifact } from "../../routing/learned/quality-predictor.js";
import { type CalibrationResult, calibrateRouter } from "../calibration/calibrate-router.js";
import type { CalibrationTarget } from "../calibration/calibration-target.js";
import { bestModel } from "../eval/metrics/baselines.js";
import { buildReplayTable } from "../eval/metrics/replay-table.js";
import { outcomesOfChoices } from "../eval/metrics/curve-point.js";
import type { SweptRouter } from "../eval/metrics/swept-router.js";
import { costPenaltyRouterReplay } from "../eval/replay/cost-penalty-router-replay.js";
import { decisionCostsPer1k, pairOf, pairRouteScores } from "../eval/replay/router-inputs.js";
import { thresholdRouterReplay } from "../eval/replay/threshold-router-replay.js";
import type { OutcomeRow } from "../outcomes/outcome-row.js";

/** A calibrated artifact and what calibration found. */
export interface CalibratedArtifact {
  artifact: RouterArtifact;
  result: CalibrationResult;
  /** The reference large model (the pair's dear model, or the best single model of N). */
  large: string;
}

/**
 * Calibrates an artifact for `target` on rows it did not train on: replays its predictions,
 * sweeps the threshold (two models) or λ (N models), and writes the chosen operating point with
 * its bootstrap intervals into a copy of the artifact. A pair keeps the small/large roles of an
 * earlier calibration.
 */
export async function calibrateArtifact(
  artifact: RouterArtifact,
  rows: readonly OutcomeRow[],
  target: CalibrationTarget,
  prices: PriceTable,
  options: { seed: number; resamples?: number; now?: string },
): Promise<CalibratedArtifact> {
  const models = artifact.models;
  const predictor = loadPredictor(artifact);
  const predicted = models.map(() => new Float64Array(rows.length));
  for (const [i, row] of rows.entries()) {
    const prediction = await predictor.predict(promptRequest(row.prompt));
    for (const [m, q] of prediction.qualities.entries()) predicted[m]![i] = q;
  }
  const table = buildReplayTable(rows, models, prices);
  let router: SweptRouter;
  let large: number;
  if (models.length === 2) {
    const previous = artifact.calibration?.policy;
    const kept =
      previous?.kind === "threshold" ? { small: models.indexOf(previous.small), large: models.indexOf(previous.large) } : undefined;
    const pair = kept && kept.small >= 0 && kept.large >= 0 && kept.small !== kept.large ? kept : pairOf(table);
    router = thresholdRouterReplay(artifact.kind, table, pairRouteScores(predicted, pair), pair);
    large = pair.large;
  } else {
    large = bestModel(table);
    const decisionCost = decisionCostsPer1k(table, [predictor.common.meanOutputChars], new Int32Array(rows.length), prices);
    router = costPenaltyRouterReplay(artifact.kind, table, { predicted, decisionCost }, large);
  }
  // N models: the best single model is a point of the curve, so calibration falls back to it when routing does not pay.
  const fallback =
    models.length > 2
      ? { model: models[large]!, outcomes: outcomesOfChoices(table, new Int32Array(rows.length).fill(large), large) }
      : undefined;
  const result = calibrateRouter(router, table.scores[large]!, target, { ...options, ...(fallback ? { fallback } : {}) });
  return { artifact: { ...artifact, calibration: result.operatingPoint }, result, large: models[large]! };
}
