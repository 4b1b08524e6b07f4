/**
 * Routing quality on the shared outcome data, 5-fold cross-validation (issues 3 §7 and 11):
 * 1. leave one dataset out: for each dataset, the default router, `--router auto` run nested (its
 *    inner selection over the fixed grid inside every outer training fold, as `rightsize train`
 *    runs it by default), and the fixed kind chosen on the other datasets only (the candidate with
 *    the best mean APGR over them), next to the two references measured in the same run (TF-IDF
 *    kNN-20 and TF-IDF logistic regression on word uni+bigrams), APGR mean ± sd over folds and
 *    CPT(50%);
 * 2. every router on every pair;
 * 3. N-model pools (Arena-Bench-V1's priced models, MMLU-Pro's 16): calibrated router vs the best
 *    single model, and the 16-model cost–accuracy frontier;
 * 4. information ceilings (bench/routing-quality-ceilings.ts).
 * Tasks run as child processes, two at a time (BENCH_JOBS), each on one core.
 * Run: npm run bench:routing-quality [-- --quick] [-- --datasets Arena,MT-Bench] [-- --pairs-only]
 *   --quick: at most 1,500 rows per task, no 16-model sections and no ceilings (minutes, noisier);
 *   --datasets: only those datasets' pair tasks (defaults are then chosen among the ones run);
 *   --pairs-only: only the pair tasks (sections 1 and 2), no pools, 16-model sections or ceilings.
 *   ROUTERS=knn,linear runs only some routers (the references always run).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { poolNames } from "./routing-quality-pools.js";
import { benchRouters, datasets, mean, meanSd, pairTasks, sd } from "./routing-quality-tasks.js";
import type { FoldFigures } from "./routing-quality-worker.js";

interface PairResult {
  task: string;
  rows: number;
  results: Record<string, FoldFigures>;
}

const argv = process.argv.slice(2);
const quickRun = argv.includes("--quick");
const pairsOnly = argv.includes("--pairs-only");
const datasetFlag = argv.indexOf("--datasets");
const chosenDatasets = datasetFlag >= 0 ? (argv[datasetFlag + 1] ?? "").split(",").filter(Boolean) : datasets;
const unknownDataset = chosenDatasets.find((d) => !datasets.includes(d));
if (unknownDataset) throw new Error(`--datasets: unknown dataset ${unknownDataset}; known: ${datasets.join(", ")}`);
const tasks = pairTasks.filter((t) => chosenDatasets.includes(t.dataset));

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), "routing-quality-worker.ts");
const jobs = Number(process.env.BENCH_JOBS ?? 2);

function runTask(task: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, worker, "--task", task], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, ...(quickRun ? { BENCH_QUICK: "1" } : {}) },
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += String(chunk)));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "{}")) : reject(new Error(`task ${task} exited with ${code}`)),
    );
  });
}

const started = Date.now();
const bigFirst = [...tasks].sort((a, b) => Number(b.file.startsWith("mmlu")) - Number(a.file.startsWith("mmlu")));
const extra = pairsOnly
  ? []
  : [
      ...(chosenDatasets.includes("Arena") ? ["pool:Arena"] : []),
      ...(quickRun || !chosenDatasets.includes("MMLU-Pro") ? [] : ["pool:MMLU-Pro", "N-models", "ceilings"]),
    ].filter((t) => !t.startsWith("pool:") || poolNames.includes(t.slice(5)));
const order = [...extra.filter((t) => t !== "ceilings"), ...bigFirst.map((t) => t.name), ...extra.filter((t) => t === "ceilings")];
const results = new Map<string, unknown>();
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < order.length) {
      const task = order[next++] ?? "";
      results.set(task, await runTask(task));
    }
  }),
);

const only = process.env.ROUTERS?.split(",");
const routers = benchRouters.filter((r) => r.reference || !only || only.includes(r.name));
const refs = routers.filter((r) => r.reference);
const candidates = routers.filter((r) => r.candidate);
const pair = (name: string): PairResult => results.get(name) as PairResult;
const figures = (router: string, task: string): FoldFigures | undefined => pair(task).results[router];
const apgrs = (router: string, task: string): number[] => figures(router, task)?.folds ?? [];
const cell = (router: string, task: string): string => {
  const f = figures(router, task);
  return f ? `${meanSd(f.folds)} (CPT ${(100 * mean(f.cpt50)).toFixed(1)}%)` : "—";
};
const datasetTasks = (dataset: string) => tasks.filter((t) => t.dataset === dataset);
/** A router's score on a dataset: mean over its tasks of the mean APGR over folds. */
const onDataset = (router: string, dataset: string): number => mean(datasetTasks(dataset).map((t) => mean(apgrs(router, t.name))));

const auto = "auto (nested)";
const signed = (x: number, digits = 3): string => `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
const signed4 = (x: number): string => signed(x, 4);
console.log(
  `\n${quickRun ? "QUICK RUN (≤ 1,500 rows per task): " : ""}Leave one dataset out, 5-fold CV, APGR mean ± sd over folds, CPT(50%) = share of strong calls to recover half the gap (mean over folds)`,
);
console.log(
  "default = `auto (nested)`: what `rightsize train` does by default (`--router auto`: inner 3-fold CV over a fixed grid on ≤ 4,000 sampled rows, 300 s bound), run inside every outer training fold, never seeing the outer test fold",
);
console.log("fixed kind = the grid candidate with the best mean APGR over the OTHER datasets (each dataset weighted equally)");
console.log("target: the default on every dataset ≥ the better reference; on average over datasets ≥ +0.02 above it");
console.log(
  "| dataset | pair | default: auto (nested) | Δ vs better ref | fixed kind chosen without it | fixed kind | Δ | ref TF-IDF kNN-20 | ref TF-IDF logreg |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
const autoDeltas: number[] = [];
const fixedDeltas: number[] = [];
const metDatasets: string[] = [];
for (const dataset of chosenDatasets) {
  const others = chosenDatasets.filter((d) => d !== dataset);
  const chosen =
    others.length === 0
      ? undefined
      : candidates.reduce((a, b) =>
          mean(others.map((d) => onDataset(b.name, d))) > mean(others.map((d) => onDataset(a.name, d))) ? b : a,
        );
  const autoD: number[] = [];
  const fixedD: number[] = [];
  for (const task of datasetTasks(dataset)) {
    const better = Math.max(...refs.map((r) => mean(apgrs(r.name, task.name))));
    const mark = (delta: number): string => `${signed4(delta)}${delta >= -1e-9 ? " ✓" : " ✗"}`;
    const autoDelta = mean(apgrs(auto, task.name)) - better;
    autoD.push(autoDelta);
    const fixedDelta = chosen ? mean(apgrs(chosen.name, task.name)) - better : Number.NaN;
    if (chosen) fixedD.push(fixedDelta);
    console.log(
      `| ${dataset} | ${task.name} (${pair(task.name).rows}) | ${cell(auto, task.name)} | ${mark(autoDelta)} | ${chosen?.name ?? "(no other dataset run)"} | ${chosen ? cell(chosen.name, task.name) : "—"} | ${chosen ? signed4(fixedDelta) : "—"} | ${cell(refs[0]?.name ?? "", task.name)} | ${cell(refs[1]?.name ?? "", task.name)} |`,
    );
  }
  autoDeltas.push(mean(autoD));
  if (autoD.every((d) => d >= -1e-9)) metDatasets.push(dataset);
  if (fixedD.length) fixedDeltas.push(mean(fixedD));
}
if (autoDeltas.length) {
  console.log(
    `default (auto, nested): mean Δ over datasets ${signed4(mean(autoDeltas))} (sd ${sd(autoDeltas).toFixed(3)})${mean(autoDeltas) >= 0.02 ? " ✓" : " ✗ (target +0.02)"}; every pair ≥ the better reference on ${metDatasets.length} of ${autoDeltas.length} datasets${metDatasets.length ? ` (${metDatasets.join(", ")})` : ""}`,
  );
}
if (fixedDeltas.length)
  console.log(
    `fixed kind chosen leave-one-dataset-out: mean Δ over datasets ${signed4(mean(fixedDeltas))} (sd ${sd(fixedDeltas).toFixed(3)})`,
  );

console.log("\nEvery router on every pair: APGR mean ± sd over 5 folds (CPT(50%))");
console.log(`| router | ${tasks.map((t) => `${t.name} (${pair(t.name).rows})`).join(" | ")} |`);
console.log(`|---|${tasks.map(() => "---").join("|")}|`);
console.log(`| reference APGR quoted in the issues | ${tasks.map((t) => (t.quoted ? `≈ ${t.quoted.toFixed(2)}` : "—")).join(" | ")} |`);
const allNames = [...new Set(tasks.flatMap((t) => Object.keys(pair(t.name).results)))];
for (const name of allNames) console.log(`| ${name} | ${tasks.map((t) => cell(name, t.name)).join(" | ")} |`);
for (const t of tasks) {
  const f = figures(auto, t.name);
  if (f?.chosen)
    console.log(
      `auto (nested) on ${t.name}: inner CV chose ${f.chosen.join(", ")} in the 5 outer folds (${f.seconds.toFixed(0)} s of selection)${f.skipped?.length ? `; time bound left untried: ${f.skipped.join(", ")}` : ""}`,
    );
}
for (const task of order.filter((t) => t.startsWith("pool:") || t === "N-models" || t === "ceilings"))
  for (const line of (results.get(task) as { lines: string[] }).lines) console.log(line);
console.log(
  `\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s wall-clock, ${jobs} tasks at a time (machine shared with other work: timings are noisy)`,
);
