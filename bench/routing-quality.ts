/**
 * Routing quality on the shared outcome data, 5-fold cross-validation (issue 3 §7): APGR per
 * pair for every router and the two references measured in the same run, then the N-model
 * cost–accuracy frontier on MMLU-Pro's 16 full-coverage models, then the information ceilings
 * (bench/routing-quality-ceilings.ts). Tasks run as child processes, two at a time
 * (BENCH_JOBS), each on one core.
 * Run: npm run bench:routing-quality   (ROUTERS=knn,ensemble to run only some routers)
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchRouters, mean, meanSd, pairTasks } from "./routing-quality-tasks.js";

interface PairResult {
  task: string;
  rows: number;
  results: Record<string, { folds: number[]; seconds: number }>;
}

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), "routing-quality-worker.ts");
const jobs = Number(process.env.BENCH_JOBS ?? 2);

function runTask(task: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, worker, "--task", task], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += String(chunk)));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "{}")) : reject(new Error(`task ${task} exited with ${code}`)),
    );
  });
}

const started = Date.now();
const order = ["MMLU", "N-models", "MMLU-Pro/Llama-8B", "MMLU-Pro/Phi-3", "GSM8K", "MT-Bench", "ceilings"];
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
const pair = (name: string): PairResult => results.get(name) as PairResult;
const folds = (router: string, task: string): number[] => pair(task).results[router]?.folds ?? [];
console.log("\nAPGR, 5-fold cross-validation (mean ± sd over folds); target ≥ 0.70 and ≥ the better reference + 0.05");
console.log(`| router | ${pairTasks.map((t) => `${t.name} (${pair(t.name).rows})`).join(" | ")} |`);
console.log(`|---|${pairTasks.map(() => "---").join("|")}|`);
console.log(`| reference APGR quoted in the issue | ${pairTasks.map((t) => (t.quoted ? `≈ ${t.quoted.toFixed(2)}` : "—")).join(" | ")} |`);
for (const router of routers) {
  const cells = pairTasks.map((task) => {
    const values = folds(router.name, task.name);
    const refBest = Math.max(...routers.filter((r) => r.reference).map((r) => mean(folds(r.name, task.name))));
    const delta = mean(values) - refBest;
    const mark =
      router.reference || task.reportOnly
        ? ""
        : mean(values) >= 0.7 && delta >= 0.05
          ? " ✓"
          : ` (${delta >= 0 ? "+" : ""}${delta.toFixed(3)})`;
    return `${meanSd(values)}${mark}`;
  });
  console.log(`| ${router.name} | ${cells.join(" | ")} |`);
}
console.log("(in parentheses: difference to the better reference on that pair; ✓ = both targets met)");
for (const line of (results.get("N-models") as { lines: string[] }).lines) console.log(line);
for (const line of (results.get("ceilings") as { lines: string[] }).lines) console.log(line);
console.log(
  `\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s wall-clock, ${jobs} tasks at a time (machine shared with other work: timings are noisy)`,
);
