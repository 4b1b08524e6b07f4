import { ArtifactHistory } from "../../learning/artifact-history.js";
import { parseCalibrationTarget } from "../../learning/calibration/calibration-target.js";
import { candidateTrainer } from "../../learning/retrain/candidate-trainer.js";
import { loggedOutcomeRows } from "../../learning/retrain/logged-outcome-rows.js";
import { retrainRouter } from "../../learning/retrain/retrain-router.js";
import { PriceTable } from "../../pricing/price-table.js";
import { openRequestLogReader } from "../../storage/open-request-log-reader.js";
import { describeRequestLogLocation } from "../../storage/request-log-location.js";
import type { RetrainJob, RetrainJobResult } from "./retrain-job.js";

/** Runs one retrain (what `rightsize retrain --config … --router …` does), for the worker thread. */
export async function runRetrainJob(job: RetrainJob): Promise<RetrainJobResult> {
  try {
    const reader = await openRequestLogReader(job.location);
    let rows: Awaited<ReturnType<typeof loggedOutcomeRows>>["rows"];
    try {
      rows = (await loggedOutcomeRows(reader)).rows;
    } finally {
      await reader.close();
    }
    const result = await retrainRouter({
      history: new ArtifactHistory(job.artifact),
      rows,
      prices: new PriceTable(job.prices),
      margin: job.margin,
      seed: job.seed,
      train: candidateTrainer(job.kind, job.timeLimitS),
      dataFile: `${describeRequestLogLocation(job.location)} (scheduled)`,
      ...(job.target ? { target: parseCalibrationTarget(job.target) } : {}),
    });
    return {
      ok: true,
      promoted: result.promoted,
      version: result.version,
      parent: result.parent,
      reason: result.verdict.reason,
      rows: result.rows.usable,
      holdout: result.rows.holdout,
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
