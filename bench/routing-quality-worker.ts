/**
 * One task of bench/routing-quality.ts, run in its own process (the parent runs two at a time):
 * `--task NAME` prints one JSON line with the APGR and CPT(50%) of every router per fold;
 * `--task N-models`, `--task pools` and `--task ceilings` print report lines.
 */
import { promptRequest } from "../src/routing/features/request-feature-text.js";
import { pairScore } from "../src/routing/learned/apply-routing-policy.js";
import type { OutcomeRow } from "../src/learning/outcomes/outcome-row.js";
import { selectRouter } from "../src/learning/selection/select-router.js";
import { trainPredictor } from "../src/learning/training/train-predictor.js";
import { apgr, cpt, foldsOf } from "../src/learning/training/validation-metrics.js";
import { ceilingReport } from "./routing-quality-ceilings.js";
import { nModelReport } from "./routing-quality-n-models.js";
import { poolReport } from "./routing-quality-pools.js";
import { benchRouters, loadNModelRows, loadPairRows, mmluProFullModels, pairTasks, type BenchRouter } from "./routing-quality-tasks.js";

export const folds = 5;
const seed = 7;
/**
 * `--router auto` as `rightsize train` runs it by default (inner CV on at most 4,000 sampled rows,
 * 300 s time bound per selection), nested: its own selection inside every outer training fold.
 * BENCH_AUTO_MAX_ROWS / BENCH_AUTO_TIME_LIMIT_S override the two bounds.
 */
const autoMaxRows = Number(process.env.BENCH_AUTO_MAX_ROWS ?? 4000);
const autoTimeLimitS = Number(process.env.BENCH_AUTO_TIME_LIMIT_S ?? 300);

export interface FoldFigures {
  folds: number[];
  cpt50: number[];
  seconds: number;
  /** auto: what the inner selection chose in each outer fold. */
  chosen?: string[];
  /** auto: candidates the time bound left untried, per outer fold. */
  skipped?: string[];
}

/** Out-of-fold predicted qualities (rows × models) of one router. */
async function outOfFold(router: BenchRouter, rows: readonly OutcomeRow[], models: string[]): Promise<number[][]> {
  const fold = foldsOf(rows.length, folds, seed);
  const out = new Array<number[]>(rows.length);
  for (let f = 0; f < folds; f++) await predictFold(router, rows, models, fold, f, out);
  return out;
}

/** Trains `router` on every outer fold but `f` and writes its predictions for fold `f`'s rows into `out`. */
async function predictFold(
  router: Pick<BenchRouter, "kind" | "settings">,
  rows: readonly OutcomeRow[],
  models: string[],
  fold: Int32Array,
  f: number,
  out: number[][],
): Promise<void> {
  const predictor = await trainPredictor(
    router.kind,
    rows.filter((_, i) => fold[i] !== f),
    { models, seed, settings: router.settings },
  );
  for (let i = 0; i < rows.length; i++) {
    if (fold[i] !== f) continue;
    out[i] = (await predictor.predict(promptRequest(rows[i]?.prompt ?? ""))).qualities;
  }
}

/**
 * `auto (nested)`: in every outer fold, `selectRouter` (what `trainAutoPredictor` runs) chooses on
 * that fold's training rows only; the chosen candidate, trained on the same training rows, then
 * predicts the outer test fold. `trainAutoPredictor` trains the chosen kind with the same rows,
 * seed and settings as the bench's own run of that candidate, so its predictions are the ones
 * already computed (`known`): they are reused instead of training the same model twice.
 */
async function nestedAuto(
  rows: readonly OutcomeRow[],
  models: string[],
  known: ReadonlyMap<string, number[][]>,
): Promise<{ qualities: number[][]; chosen: string[]; skipped: string[] }> {
  const fold = foldsOf(rows.length, folds, seed);
  const out = new Array<number[]>(rows.length);
  const chosen: string[] = [];
  const skipped: string[] = [];
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => fold[i] !== f);
    const selection = await selectRouter(train, {
      models,
      seed,
      train: (kind, trainRows, options) => trainPredictor(kind, trainRows, options),
      maxRows: autoMaxRows,
      timeBudgetMs: autoTimeLimitS * 1000,
    });
    chosen.push(selection.chosen.name);
    skipped.push(...selection.skipped.map((name) => `${name} (fold ${f + 1})`));
    const reuse = known.get(selection.chosen.name);
    if (reuse) {
      for (let i = 0; i < rows.length; i++) if (fold[i] === f) out[i] = reuse[i] ?? [];
    } else await predictFold(selection.chosen, rows, models, fold, f, out);
  }
  return { qualities: out, chosen, skipped };
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
  const models = [task.small, task.large];
  const known = new Map<string, number[][]>();
  const report = (name: string, figures: { folds: number[]; cpt50: number[] }, started: number, extra: Partial<FoldFigures> = {}) => {
    results[name] = { ...figures, seconds: (Date.now() - started) / 1000, ...extra };
    process.stderr.write(
      `  ${task.name} ${name}: ${(figures.folds.reduce((a, b) => a + b, 0) / folds).toFixed(3)} (${results[name]?.seconds.toFixed(0)} s)\n`,
    );
  };
  for (const router of routers) {
    const started = Date.now();
    const qualities = await outOfFold(router, rows, models);
    if (router.candidate || router.kind === "random") known.set(router.name, qualities);
    report(router.name, foldFigures(rows, qualities, task.small, task.large), started);
  }
  const started = Date.now();
  const auto = await nestedAuto(rows, models, known);
  report("auto (nested)", foldFigures(rows, auto.qualities, task.small, task.large), started, {
    chosen: auto.chosen,
    ...(auto.skipped.length ? { skipped: auto.skipped } : {}),
  });
  process.stdout.write(`${JSON.stringify({ task: taskName, rows: rows.length, results })}\n`);
}
