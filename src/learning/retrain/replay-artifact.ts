import type { PriceTable } from "../../pricing/price-table.js";
import { applyRoutingPolicy, defaultPolicy, estimateCosts } from "../../routing/learned/apply-routing-policy.js";
import { promptRequest } from "../../routing/features/request-feature-text.js";
import { loadPredictor } from "../../routing/learned/predictor-registry.js";
import type { RouterArtifact } from "../../routing/learned/quality-predictor.js";
import { outcomesOfChoices, type RowOutcomes } from "../eval/metrics/curve-point.js";
import type { ReplayTable } from "../eval/metrics/replay-table.js";

/**
 * What a deployed artifact does on replayed rows: each row's prompt goes through the artifact's
 * predictor and its routing policy (the calibrated one, else the default), exactly as the
 * gateway's learned router decides, and the row scores and costs what the chosen model got.
 * `table` must hold the artifact's models; `large` is the reference large model's index in it.
 */
export async function replayArtifact(
  artifact: RouterArtifact,
  table: ReplayTable,
  prompts: readonly string[],
  prices: PriceTable,
  large: number,
): Promise<{ outcomes: RowOutcomes; choices: Int32Array }> {
  const predictor = loadPredictor(artifact);
  const models = artifact.models;
  const columns = models.map((model) => table.models.indexOf(model));
  const missing = models.filter((_, i) => (columns[i] ?? -1) < 0);
  if (missing.length > 0) throw new Error(`the rows have no outcomes for ${missing.join(", ")} (models of the ${artifact.kind} artifact)`);
  const meanScores = models.map((_, m) => mean(table.scores[columns[m]!]!));
  const policy = artifact.calibration?.policy ?? defaultPolicy(models, meanScores, prices);
  const choices = new Int32Array(prompts.length);
  for (const [i, prompt] of prompts.entries()) {
    const prediction = await predictor.predict(promptRequest(prompt));
    const costs = estimateCosts(models, prompt.length, predictor.common.meanOutputChars, prices);
    choices[i] = columns[applyRoutingPolicy(models, prediction.qualities, policy, costs).index]!;
  }
  return { outcomes: outcomesOfChoices(table, choices, large), choices };
}

function mean(values: Float64Array): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}
