/**
 * N-model pools of bench/routing-quality.ts (issue 11 §3): `rightsize eval`'s replay with k-fold
 * cross-validation, calibrated on half the rows for "the best quality at ≤ the best single
 * model's cost" (the best single model itself is a candidate point: calibration falls back to it
 * when routing does not pay), figures on the other half with bootstrap 95% intervals, and the
 * router's whole cost–quality frontier.
 */
import { evaluateRouters } from "../src/learning/eval/replay/evaluate-routers.js";
import { formatEstimate, formatPolicy } from "../src/learning/eval/reports/format-figures.js";
import { trainPredictor } from "../src/learning/training/train-predictor.js";
import { loadPrices } from "./routing-quality-n-models.js";
import { arenaPricedModels, loadPoolRows, mmluProFullModels } from "./routing-quality-tasks.js";

const pools: Record<string, { file: string; models: string[]; kinds: string[]; dropVersionConflict?: boolean }> = {
  Arena: { file: "arenahard_outcomes.jsonl", models: arenaPricedModels, kinds: ["knn", "irt-knn", "linear"] },
  "MMLU-Pro": { file: "mmlupro_outcomes.jsonl", models: mmluProFullModels, kinds: ["irt-knn"], dropVersionConflict: true },
};

export const poolNames = Object.keys(pools);

export async function poolReport(name: string, folds: number, seed: number): Promise<string[]> {
  const pool = pools[name];
  if (!pool) throw new Error(`unknown pool ${name}`);
  const rows = await loadPoolRows(pool.models, pool.file, pool.dropVersionConflict);
  const prices = loadPrices();
  const common = { data: { file: pool.file, loadSummary: "" }, models: pool.models, prices, folds, seed, resamples: 500 };
  const probe = await evaluateRouters(rows, { ...common, kinds: [], train: trainPredictor });
  const best = probe.baselines.alwaysLarge;
  const report = await evaluateRouters(rows, {
    ...common,
    kinds: pool.kinds,
    train: trainPredictor,
    target: { kind: "quality-floor", value: 1 },
  });
  const expensive = report.mostExpensive ? report.baselines.perModel[report.mostExpensive] : undefined;
  const lines = [
    `\nN-model pool ${name}: ${pool.models.length} priced models, ${rows.length} rows; best single model ${report.large} (quality ${best.quality.toFixed(4)}, $${best.costPer1k.toFixed(3)}/1k requests); most expensive ${report.mostExpensive} (quality ${expensive?.quality.toFixed(4)}, $${expensive?.costPer1k.toFixed(3)}/1k)`,
    "calibrated on half the rows for the cheapest point with quality ≥ the best single model's (quality-floor=1; the best single model is itself a candidate point); held-out half with bootstrap 95% intervals",
    "target: held-out quality ≥ the best single model's (quality ÷ best single ≥ 1 within the interval) at ≤ its cost",
    "| router | calibrated policy | held-out quality | ÷ best single | held-out cost/1k | ÷ best single cost (all rows) | met |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const router of report.routers) {
    const op = router.operatingPoint;
    if (!op) continue;
    const h = op.heldOut;
    const ok = h.qualityVsLarge.high >= 1 && h.costPer1k.low <= best.costPer1k * 1.0001;
    lines.push(
      `| ${router.name} | ${formatPolicy(op.policy)} | ${formatEstimate(h.quality, (x) => x.toFixed(4))} | ${formatEstimate(h.qualityVsLarge, (x) => x.toFixed(3))} | ${formatEstimate(h.costPer1k, (x) => x.toFixed(3))} | ${(h.costPer1k.value / best.costPer1k).toFixed(3)} | ${ok ? "✓" : "✗"} |`,
    );
    if (op.note) lines.push(`  ${router.name}: ${op.note}`);
  }
  for (const router of report.routers) {
    const pareto = [...router.curve]
      .sort((a, b) => a.costPer1k - b.costPer1k || b.quality - a.quality)
      .filter((p, i, sorted) => sorted.slice(0, i).every((q) => q.quality < p.quality));
    const step = Math.max(1, Math.ceil(pareto.length / 16));
    const shown = pareto.filter((_, i) => i % step === 0 || i === pareto.length - 1);
    lines.push(
      `frontier ${router.name} (cost ÷ best single model:quality, out-of-fold λ sweep): ${shown.map((p) => `${(p.costPer1k / best.costPer1k).toFixed(2)}:${p.quality.toFixed(3)}`).join("  ")}`,
    );
  }
  return lines;
}
