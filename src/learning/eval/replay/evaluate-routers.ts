import type { CalibrationTarget } from "../../calibration/calibration-target.js";
import type { OutcomeRow } from "../../outcomes/outcome-row.js";
import { alwaysModel, bestModel, cheapestModel, mostExpensiveModel, oraclePoint, randomLine } from "../metrics/baselines.js";
import type { PriceTable } from "../../../pricing/price-table.js";
import { outcomesOfChoices } from "../metrics/curve-point.js";
import { buildReplayTable, subsetReplayTable, type ReplayTable } from "../metrics/replay-table.js";
import type { SweptRouter } from "../metrics/swept-router.js";
import { thresholdCurve } from "../metrics/threshold-curve.js";
import { categoryBreakdown } from "./category-breakdown.js";
import { costPenaltyRouterReplay } from "./cost-penalty-router-replay.js";
import { crossValidationFolds, splitInHalves } from "./cross-validation-folds.js";
import type { EvalReport, RouterEvaluation } from "./eval-report.js";
import { evaluateSweptRouter, type SweepContext } from "./evaluate-swept-router.js";
import { outOfFoldPredictions, type TrainPredictorOfKind } from "./out-of-fold-predictions.js";
import { decisionCostsPer1k, pairOf, pairRouteScores } from "./router-inputs.js";
import { thresholdRouterReplay } from "./threshold-router-replay.js";

export interface EvaluateRoutersOptions {
  data: { file: string; loadSummary: string };
  models: string[];
  prices: PriceTable;
  /** Router kinds, trained through `train` on k−1 folds and replayed on the held-out fold. */
  kinds: string[];
  train: TrainPredictorOfKind;
  folds: number;
  seed: number;
  /** RouteLLM's sweep for APGR/CPT: a number of quantile bins (10 in RouteLLM) or "all". */
  curvePoints?: "all" | number;
  target?: CalibrationTarget;
  resamples?: number;
  /** Routers that replay themselves on the table (e.g. a cascade on outcome data with answers). */
  extraRouters?: (table: ReplayTable) => SweptRouter[];
  settings?: Record<string, Record<string, unknown>>;
  onProgress?: (message: string) => void;
  now?: string;
}

/** Replays every router over the outcome rows with k-fold cross-validation and measures them against the baselines. */
export async function evaluateRouters(rows: readonly OutcomeRow[], options: EvaluateRoutersOptions): Promise<EvalReport> {
  if (options.models.length < 2) throw new Error("evaluation needs at least two models");
  const table = buildReplayTable(rows, options.models, options.prices);
  const mode = options.models.length === 2 ? "pair" : "pool";
  const pair = mode === "pair" ? pairOf(table) : { small: cheapestModel(table), large: bestModel(table) };
  const perModel = Object.fromEntries(options.models.map((model, m) => [model, alwaysModel(table, m, pair.large)]));
  const small = perModel[options.models[pair.small]!]!;
  const large = perModel[options.models[pair.large]!]!;
  const costs = Object.values(perModel).map((p) => p.costPer1k);
  const costRange = { min: Math.min(...costs), max: Math.max(...costs) };
  const curvePoints = options.curvePoints ?? 10;
  const context: SweepContext = {
    mode,
    small,
    large,
    largeScores: table.scores[pair.large]!,
    costRange,
    halves: splitInHalves(rows.length, options.seed + 7919),
    seed: options.seed,
    resamples: options.resamples ?? 1000,
  };
  if (options.target) context.target = options.target;
  if (mode === "pool") {
    const best = pair.large;
    context.fallback = {
      model: options.models[best]!,
      outcomesOf: (subset) => outcomesOfChoices(subsetReplayTable(table, subset), new Int32Array(subset.length).fill(best), best),
    };
  }
  const folds = crossValidationFolds(rows.length, options.folds, options.seed);
  const replayed: { swept: SweptRouter; evaluation: RouterEvaluation }[] = [];
  for (const kind of options.kinds) {
    const oof = await outOfFoldPredictions(rows, folds, {
      kind,
      models: options.models,
      seed: options.seed,
      train: options.train,
      ...(options.settings?.[kind] ? { settings: options.settings[kind] } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    options.onProgress?.(`${kind}: replaying ${rows.length} held-out predictions`);
    const timing = { trainSeconds: oof.trainMs / 1000, predictSeconds: oof.predictMs / 1000 };
    if (mode === "pair") {
      const scores = pairRouteScores(oof.predicted, pair);
      const swept = thresholdRouterReplay(kind, table, scores, pair);
      const routellmCurve = curvePoints === "all" ? swept.curve : thresholdCurve(table, scores, pair, { points: curvePoints });
      replayed.push({ swept, evaluation: evaluateSweptRouter(swept, context, { ...timing, routellmCurve, folds }) });
    } else {
      const decisionCost = decisionCostsPer1k(table, oof.meanOutputChars, oof.foldOf, options.prices);
      const swept = costPenaltyRouterReplay(kind, table, { predicted: oof.predicted, decisionCost }, pair.large);
      replayed.push({ swept, evaluation: evaluateSweptRouter(swept, context, timing) });
    }
  }
  for (const swept of options.extraRouters?.(table) ?? []) replayed.push({ swept, evaluation: evaluateSweptRouter(swept, context) });
  options.onProgress?.("per-category breakdown");
  return {
    format: "rightsize-eval",
    version: 1,
    createdAt: options.now ?? new Date().toISOString(),
    data: { file: options.data.file, rows: rows.length, loadSummary: options.data.loadSummary },
    models: options.models,
    mode,
    small: options.models[pair.small]!,
    large: options.models[pair.large]!,
    mostExpensive: options.models[mostExpensiveModel(table)]!,
    folds: options.folds,
    seed: options.seed,
    curvePoints,
    costRange,
    baselines: {
      alwaysSmall: small,
      alwaysLarge: large,
      random: randomLine(small, large),
      oracle: oraclePoint(table, pair.large),
      perModel,
    },
    routers: replayed.map((r) => r.evaluation),
    categories: categoryBreakdown(table, replayed, { ...pair, mode, costRange }),
  };
}
