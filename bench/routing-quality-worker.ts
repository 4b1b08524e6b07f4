/**
 * One task of bench/routing-quality.ts, run in its own process (the parent runs two at a time):
 * `--task NAME` prints one JSON line with the APGR and CPT(50%) of every router per fold;
 * `--task N-models`, `--task pools` and `--task ceilings` print report lines.
 */
import { promptRequest } from "../src/routing/features/request-feature-text.js";
import { pairScore } from "../src/routing/learned/apply-routing-policy.js";
import type { OutcomeRow } from "../src/learning/outcomes/outcome-row.js";
import { trainAutoPredictor } from "../src/learning/selection/train-auto-predictor.js";
import { trainPredictor } from "../src/learning/training/train-predictor.js";
import { apgr, cpt, foldsOf } from "../src/learning/training/validation-metrics.js";
import { ceilingReport } from "./routing-quality-ceilings.js";
import { nModelReport } from "./routing-quality-n-models.js";
import { poolReport } from "./routing-quality-pools.js";
import { benchRouters, loadNModelRows, loadPairRows, mmluProFullModels, pairTasks, type BenchRouter } from "./routing-quality-tasks.js";

export const folds = 5;
const seed = 7;
/** `--router auto` runs nested (its own inner CV inside every outer training fold) on tasks up to this size. */
const autoMaxRows = 2000;

export interface FoldFigures {
  folds: number[];
  cpt50: number[];
  seconds: number;
  /** auto: what the inner selection chose in each outer fold. */
  chosen?: string[];
}

/** Out-of-fold predicted qualities (rows × models) of one router. */
async function outOfFold(router: BenchRouter, rows: readonly OutcomeRow[], models: string[], chosen?: string[]): Promise<number[][]> {
  const fold = foldsOf(rows.length, folds, seed);
  const out = new Array<number[]>(rows.length);
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => fold[i] !== f);
    let predictor;
    if (router.kind === "auto") {
      const auto = await trainAutoPredictor(train, { models, seed });
      chosen?.push(auto.selection.chosen.name);
      predictor = auto.predictor;
    } else predictor = await trainPredictor(router.kind, train, { models, seed, settings: router.settings });
    for (let i = 0; i < rows.length; i++) {
      if (fold[i] !== f) continue;
      out[i] = (await predictor.predict(promptRequest(rows[i]?.prompt ?? ""))).qualities;
    }
  }
  return out;
}

function foldFigures(
  rows: readonly OutcomeRow[],
  qualities: number[][],
  small: string,
  large: string,
): { folds: number[]; cpt50: number[] } {
  const fold = foldsOf(rows.length, folds, seed);
  const values: number[] = [];
  const cpt50: number[] = [];
  for (let f = 0; f < folds; f++) {
    const idx = rows.map((_, i) => i).filter((i) => fold[i] === f);
    const scores = idx.map((i) => pairScore(qualities[i] ?? [], 0, 1));
    const weak = idx.map((i) => rows[i]?.outcomes[small]?.score ?? 0);
    const strong = idx.map((i) => rows[i]?.outcomes[large]?.score ?? 0);
    values.push(apgr(scores, weak, strong));
    cpt50.push(cpt(scores, weak, strong, 0.5));
  }
  return { folds: values, cpt50 };
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
} else if (taskName.startsWith("pool:")) {
  process.stdout.write(`${JSON.stringify({ task: taskName, lines: await poolReport(taskName.slice(5), folds, seed) })}\n`);
} else {
  const task = pairTasks.find((t) => t.name === taskName);
  if (!task) throw new Error(`unknown task ${taskName}`);
  const rows = await loadPairRows(task);
  const results: Record<string, FoldFigures> = {};
  const withAuto = rows.length <= autoMaxRows ? [...routers, { name: "auto (nested)", kind: "auto", settings: {} }] : routers;
  for (const router of withAuto) {
    const started = Date.now();
    const chosen: string[] = [];
    const figures = foldFigures(rows, await outOfFold(router, rows, [task.small, task.large], chosen), task.small, task.large);
    results[router.name] = { ...figures, seconds: (Date.now() - started) / 1000, ...(chosen.length ? { chosen } : {}) };
    process.stderr.write(
      `  ${task.name} ${router.name}: ${(figures.folds.reduce((a, b) => a + b, 0) / folds).toFixed(3)} (${results[router.name]?.seconds.toFixed(0)} s)\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ task: taskName, rows: rows.length, results })}\n`);
}
