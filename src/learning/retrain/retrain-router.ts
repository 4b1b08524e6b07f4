import { createHash } from "node:crypto";
import type { PriceTable } from "../../pricing/price-table.js";
import type { RouterArtifact } from "../../routing/learned/quality-predictor.js";
import type { ArtifactHistory } from "../artifact-history.js";
import type { CalibrationTarget } from "../calibration/calibration-target.js";
import { bestModel } from "../eval/metrics/baselines.js";
import { buildReplayTable } from "../eval/metrics/replay-table.js";
import type { OutcomeRow } from "../outcomes/outcome-row.js";
import { toArtifact, trainPredictor } from "../training/train-predictor.js";
import { calibrateArtifact } from "./calibrate-artifact.js";
import { compareRouters, type PromotionVerdict, promotionVerdict, type RouterComparison } from "./compare-routers.js";
import { replayArtifact } from "./replay-artifact.js";
import { splitRows } from "./split-rows.js";

/** Trains a candidate on rows (the automatic selection, or one kind). */
export type TrainCandidate = (
  rows: readonly OutcomeRow[],
  options: { models: string[]; seed: number; onProgress?: (done: number, total: number, stage: string) => void },
) => Promise<{ artifact: RouterArtifact; chosen: string }>;

export interface RetrainOptions {
  /** The artifact serving now, its versions and lineage. */
  history: ArtifactHistory;
  rows: readonly OutcomeRow[];
  prices: PriceTable;
  /** The operating point both routers are calibrated to (default: the serving artifact's). */
  target?: CalibrationTarget;
  /** How much worse (absolute quality, or relative cost for a quality floor) still counts as "not worse". */
  margin: number;
  seed: number;
  /** Shares of rows held out for the comparison and for calibration (the rest trains). */
  holdout?: number;
  calibration?: number;
  /** Fewest held-out rows a verdict may rest on. */
  minHoldout?: number;
  resamples?: number;
  /** Trains the candidate (default: one kind, `kind`). */
  train?: TrainCandidate;
  kind?: string;
  /** Evaluate this artifact instead of training one (a candidate made elsewhere). */
  candidate?: RouterArtifact;
  /** Decide, but write nothing. */
  dryRun?: boolean;
  /** Where the rows came from, for the lineage. */
  dataFile: string;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface RetrainResult {
  models: string[];
  rows: { usable: number; train: number; calibration: number; holdout: number; skipped: number };
  chosen: string;
  target: CalibrationTarget;
  comparison: RouterComparison;
  verdict: PromotionVerdict;
  /** The serving version before, and the candidate's version. */
  parent: string | null;
  version: string;
  /** True when the candidate now serves. */
  promoted: boolean;
}

/**
 * `rightsize retrain`: trains a candidate router on the rows (or takes one), calibrates it and
 * the serving router to the same target on the same calibration rows, replays both on held-out
 * rows, and promotes the candidate only if the promotion gate says it is not worse; either way
 * the candidate and the verdict go into the artifact's lineage.
 */
export async function retrainRouter(options: RetrainOptions): Promise<RetrainResult> {
  const parent = await options.history.adoptCurrent();
  if (parent === null) throw new Error(`${options.history.file}: no serving artifact to retrain (train one first: rightsize train)`);
  const { artifact: serving } = await options.history.read(parent);
  const models = [...serving.models];
  const target = options.target ?? serving.calibration?.target;
  if (!target) throw new Error(`${options.history.file} is not calibrated; name a target (e.g. --target large-share=0.3)`);
  const usable = options.rows.filter((row) => models.every((model) => row.outcomes[model] !== undefined));
  const holdoutShare = options.holdout ?? 0.25;
  const calibrationShare = options.calibration ?? 0.25;
  const parts = splitRows(usable, {
    seed: options.seed,
    holdout: holdoutShare,
    calibration: calibrationShare,
    groupOf: (row) => (typeof row.extras.episode_id === "string" ? row.extras.episode_id : row.id),
  });
  const minHoldout = options.minHoldout ?? 30;
  if (parts.holdout.length < minHoldout) {
    throw new Error(
      `only ${parts.holdout.length} held-out rows with outcomes for ${models.join(" and ")} (of ${usable.length} usable, ${options.rows.length} in all); ` +
        `a verdict needs at least ${minHoldout}: collect more feedback or shadow judgments`,
    );
  }
  options.onProgress?.("train", 0, 1);
  const candidate = options.candidate
    ? { artifact: options.candidate, chosen: options.candidate.kind }
    : await (options.train ?? trainKind(options.kind ?? "knn"))(parts.train, {
        models,
        seed: options.seed,
        onProgress: (done, total, stage) => options.onProgress?.(`train: ${stage}`, done, total),
      });
  const trained: RouterArtifact = options.candidate
    ? candidate.artifact
    : {
        ...candidate.artifact,
        training: {
          ...candidate.artifact.training,
          dataFile: options.dataFile,
          dataSha256: rowsSha256(parts.train),
          rows: parts.train.length,
        },
      };
  options.onProgress?.("calibrate", 0, 2);
  const calibrationOptions = { seed: options.seed, ...(options.resamples ? { resamples: options.resamples } : {}) };
  const next = await calibrateArtifact(trained, parts.calibration, target, options.prices, calibrationOptions);
  options.onProgress?.("calibrate", 1, 2);
  const old = await calibrateArtifact(serving, parts.calibration, target, options.prices, calibrationOptions);
  options.onProgress?.("compare", 0, 1);
  const table = buildReplayTable(parts.holdout, models, options.prices);
  const large = models.indexOf(next.large) >= 0 ? models.indexOf(next.large) : bestModel(table);
  const prompts = parts.holdout.map((row) => row.prompt);
  const oldReplay = await replayArtifact(old.artifact, table, prompts, options.prices, large);
  const newReplay = await replayArtifact(next.artifact, table, prompts, options.prices, large);
  const comparison = compareRouters(oldReplay.outcomes, newReplay.outcomes, calibrationOptions);
  const verdict = promotionVerdict(comparison, target, options.margin, { old: old.result.met, new: next.result.met });
  const metrics = {
    holdoutRows: comparison.rows,
    quality: comparison.new.quality.value,
    qualityOld: comparison.old.quality.value,
    qualityDeltaLow: comparison.delta.quality.low,
    qualityDeltaHigh: comparison.delta.quality.high,
    largeShare: comparison.new.largeShare.value,
    costPer1k: comparison.new.costPer1k.value,
  };
  let version: string;
  if (options.dryRun) {
    version = "(dry run)";
  } else if (verdict.promote) {
    version = await options.history.promote(next.artifact, { metrics, note: verdict.reason });
  } else {
    version = await options.history.record(next.artifact, "refused", { parent, metrics, note: verdict.reason });
  }
  return {
    models,
    rows: {
      usable: usable.length,
      train: parts.train.length,
      calibration: parts.calibration.length,
      holdout: parts.holdout.length,
      skipped: options.rows.length - usable.length,
    },
    chosen: candidate.chosen,
    target,
    comparison,
    verdict,
    parent,
    version,
    promoted: verdict.promote && !options.dryRun,
  };
}

/** Trains one kind with its default settings. */
export function trainKind(kind: string): TrainCandidate {
  return async (rows, options) => {
    const predictor = await trainPredictor(kind, rows, options);
    return {
      artifact: toArtifact(predictor, { dataFile: "", dataSha256: "", rows: rows.length, seed: options.seed, validation: {} }),
      chosen: kind,
    };
  };
}

/** A hash of the rows' ids and outcomes: the lineage's data hash for rows that come from the log. */
export function rowsSha256(rows: readonly OutcomeRow[]): string {
  const hash = createHash("sha256");
  for (const row of rows) hash.update(`${row.id}\u0000${JSON.stringify(row.outcomes)}\n`);
  return hash.digest("hex");
}
