/**
 * One task of bench/routing-quality.ts, run in its own process (the parent runs two at a time):
 * `--task NAME` prints one JSON line with the APGR of every router per fold; `--task N-models`
 * and `--task ceilings` print report lines.
 */
import { promptRequest } from "../src/routing/features/request-feature-text.js";
import { pairScore } from "../src/routing/learned/apply-routing-policy.js";
import type { OutcomeRow } from "../src/learning/outcomes/outcome-row.js";
import { trainPredictor } from "../src/learning/training/train-predictor.js";
import { apgr, foldsOf } from "../src/learning/training/validation-metrics.js";
import { ceilingReport } from "./routing-quality-ceilings.js";
import { nModelReport } from "./routing-quality-n-models.js";
import { benchRouters, loadNModelRows, loadPairRows, mmluProFullModels, pairTasks, type BenchRouter } from "./routing-quality-tasks.js";

export const folds = 5;
const seed = 7;

/** Out-of-fold predicted qualities (rows × models) of one router. */
async function outOfFold(router: BenchRouter, rows: readonly OutcomeRow[], models: string[]): Promise<number[][]> {
  const fold = foldsOf(rows.length, folds, seed);
  const out = new Array<number[]>(rows.length);
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => fold[i] !== f);
    const predictor = await trainPredictor(router.kind, train, { models, seed, settings: router.settings });
    for (let i = 0; i < rows.length; i++) {
      if (fold[i] !== f) continue;
      out[i] = (await predictor.predict(promptRequest(rows[i]?.prompt ?? ""))).qualities;
    }
  }
  return out;
}

function foldApgrs(rows: readonly OutcomeRow[], qualities: number[][], small: string, large: string): number[] {
  const fold = foldsOf(rows.length, folds, seed);
  const values: number[] = [];
  for (let f = 0; f < folds; f++) {
    const idx = rows.map((_, i) => i).filter((i) => fold[i] === f);
    const scores = idx.map((i) => pairScore(qualities[i] ?? [], 0, 1));
    values.push(
      apgr(
        scores,
        idx.map((i) => rows[i]?.outcomes[small]?.score ?? 0),
        idx.map((i) => rows[i]?.outcomes[large]?.score ?? 0),
      ),
    );
  }
  return values;
}

const args = process.argv.slice(2);
const taskName = args[args.indexOf("--task") + 1] ?? "";
const only = process.env.ROUTERS?.split(",");
const routers = benchRouters.filter((r) => r.reference || !only || only.includes(r.name));

if (taskName === "ceilings") {
  process.stdout.write(`${JSON.stringify({ task: taskName, lines: await ceilingReport(folds, seed) })}\n`);
} else if (taskName === "N-models") {
  const rows = await loadNModelRows();
  const lines = await nModelReport(rows, routers, (router) => outOfFold(router, rows, mmluProFullModels));
  process.stdout.write(`${JSON.stringify({ task: taskName, lines })}\n`);
} else {
  const task = pairTasks.find((t) => t.name === taskName);
  if (!task) throw new Error(`unknown task ${taskName}`);
  const rows = await loadPairRows(task);
  const results: Record<string, { folds: number[]; seconds: number }> = {};
  for (const router of routers) {
    const started = Date.now();
    const values = foldApgrs(rows, await outOfFold(router, rows, [task.small, task.large]), task.small, task.large);
    results[router.name] = { folds: values, seconds: (Date.now() - started) / 1000 };
    process.stderr.write(
      `  ${task.name} ${router.name}: ${(values.reduce((a, b) => a + b, 0) / values.length).toFixed(3)} (${results[router.name]?.seconds.toFixed(0)} s)\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ task: taskName, rows: rows.length, results })}\n`);
}
