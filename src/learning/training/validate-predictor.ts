import { promptRequest } from "../../routing/features/request-feature-text.js";
import type { PriceTable } from "../../pricing/price-table.js";
import { defaultPolicy, pairScore } from "../../routing/learned/apply-routing-policy.js";
import type { LearnedPredictor } from "../../routing/learned/learned-predictor.js";
import type { OutcomeRow } from "../outcomes/outcome-row.js";
import { apgr, rocAuc } from "./validation-metrics.js";

/**
 * Held-out figures of a trained predictor. Pair: APGR and AUC of the pair score (label:
 * the large model scores higher than the small one), with the small/large roles of the
 * default policy. Any number of models: mean score of the predicted-best model against the
 * best single model and the oracle.
 */
export async function validatePredictor(
  predictor: LearnedPredictor,
  rows: readonly OutcomeRow[],
  prices?: PriceTable,
): Promise<Record<string, number>> {
  const models = predictor.models;
  const qualities: number[][] = [];
  for (const row of rows) qualities.push((await predictor.predict(promptRequest(row.prompt))).qualities);
  const score = (row: OutcomeRow, m: number): number => row.outcomes[models[m] ?? ""]?.score ?? 0;
  const out: Record<string, number> = { rows: rows.length };
  let chosen = 0;
  let oracle = 0;
  const totals = models.map(() => 0);
  rows.forEach((row, r) => {
    const q = qualities[r] ?? [];
    let best = 0;
    q.forEach((value, m) => {
      if (value > (q[best] ?? -Infinity)) best = m;
    });
    chosen += score(row, best);
    oracle += Math.max(...models.map((_, m) => score(row, m)));
    for (let m = 0; m < models.length; m++) totals[m] = (totals[m] ?? 0) + score(row, m);
  });
  const n = Math.max(1, rows.length);
  out.predictedBestQuality = chosen / n;
  out.bestSingleModelQuality = Math.max(...totals) / n;
  out.oracleQuality = oracle / n;
  const policy = defaultPolicy(models, predictor.common.meanScores, prices);
  if (models.length === 2 && policy.kind === "threshold") {
    const small = models.indexOf(policy.small);
    const large = models.indexOf(policy.large);
    const scores = qualities.map((q) => pairScore(q, small, large));
    out.apgr = apgr(
      scores,
      rows.map((row) => score(row, small)),
      rows.map((row) => score(row, large)),
    );
    out.auc = rocAuc(
      scores,
      rows.map((row) => score(row, large) > score(row, small)),
    );
  }
  return out;
}
