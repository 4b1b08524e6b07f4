/**
 * Routing quality on the shared outcome data, 5-fold cross-validation (issue 3 §7):
 * APGR per pair for every router and the two references measured in the same run, then the
 * N-model cost–accuracy frontier on MMLU-Pro's 16 full-coverage models.
 * Run: npm run bench:routing-quality [-- --quick] [-- --only NAME,...]
 */
import path from "node:path";
import { promptRequest } from "../src/routing/features/request-feature-text.js";
import { loadOutcomeData, type LoadOutcomeOptions } from "../src/routing/learned/load-outcome-data.js";
import type { OutcomeRow } from "../src/routing/learned/outcome-row.js";
import { trainPredictor } from "../src/routing/learned/predictor-registry.js";
import { apgr, foldsOf } from "../src/routing/learned/validation-metrics.js";
import { pairScore } from "../src/routing/learned/apply-routing-policy.js";
import { benchRouters, mmluProFullModels, pairTasks, sharedDir, type BenchRouter } from "./routing-quality-tasks.js";
import { nModelReport } from "./routing-quality-n-models.js";

const folds = 5;
const seed = 7;
const args = process.argv.slice(2);
const only = args.includes("--only") ? (args[args.indexOf("--only") + 1] ?? "").split(",") : undefined;
const routers = benchRouters.filter((r) => r.reference || !only || only.includes(r.name));

const cache = new Map<string, OutcomeRow[]>();
async function rowsOf(file: string, options: LoadOutcomeOptions): Promise<OutcomeRow[]> {
  const key = `${file}:${JSON.stringify(options)}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const { rows } = await loadOutcomeData(path.join(sharedDir(), "data", file), options);
  cache.set(key, rows);
  return rows;
}

/** Out-of-fold predicted qualities (rows × models) of one router. */
export async function outOfFold(router: BenchRouter, rows: readonly OutcomeRow[], models: string[]): Promise<number[][]> {
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
    values.push(apgr(scores, idx.map((i) => rows[i]?.outcomes[small]?.score ?? 0), idx.map((i) => rows[i]?.outcomes[large]?.score ?? 0)));
  }
  return values;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sd = (xs: readonly number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const pad = (text: string, width: number): string => text.padEnd(width);

async function pairs(): Promise<void> {
  const table = new Map<string, Map<string, number[]>>();
  for (const task of pairTasks) {
    const rows = await rowsOf(task.file, { dropContaminated: task.dropContaminated, dropVersionConflict: task.dropVersionConflict, categoryPrefixes: task.categories, requireModels: [task.small, task.large] });
    process.stderr.write(`${task.name}: ${rows.length} rows\n`);
    for (const router of routers) {
      const started = Date.now();
      const qualities = await outOfFold(router, rows, [task.small, task.large]);
      const values = foldApgrs(rows, qualities, task.small, task.large);
      if (!table.has(router.name)) table.set(router.name, new Map());
      table.get(router.name)?.set(task.name, values);
      process.stderr.write(`  ${pad(router.name, 24)} APGR ${mean(values).toFixed(3)} ± ${sd(values).toFixed(3)}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    }
  }
  const header = ["router", ...pairTasks.map((t) => t.name)];
  console.log(`\nAPGR, ${folds}-fold cross-validation (mean ± sd over folds); target ≥ 0.70 and ≥ better reference + 0.05`);
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  console.log(`| quoted reference (issue) | ${pairTasks.map((t) => (t.quoted ? `≈ ${t.quoted.toFixed(2)}` : "—")).join(" | ")} |`);
  for (const router of routers) {
    const cells = pairTasks.map((task) => {
      const values = table.get(router.name)?.get(task.name) ?? [];
      const refBest = Math.max(...routers.filter((r) => r.reference).map((r) => mean(table.get(r.name)?.get(task.name) ?? [])));
      const value = mean(values);
      const mark = router.reference || task.reportOnly ? "" : value >= 0.7 && value >= refBest + 0.05 ? " ✓" : ` (${value - refBest >= 0 ? "+" : ""}${(value - refBest).toFixed(3)})`;
      return `${value.toFixed(3)} ± ${sd(values).toFixed(3)}${mark}`;
    });
    console.log(`| ${router.name} | ${cells.join(" | ")} |`);
  }
  console.log("(in parentheses: difference to the better reference on that pair; ✓ = target met)");
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!args.includes("--n-only")) await pairs();
  if (!args.includes("--pairs-only")) {
    const rows = await rowsOf("mmlupro_outcomes.jsonl", { dropVersionConflict: true, requireModels: mmluProFullModels });
    await nModelReport(rows, routers, (router) => outOfFold(router, rows, mmluProFullModels));
  }
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s on this machine (2 shared cores: timings are noisy)`);
}

await main();
