import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadOutcomeData } from "../src/learning/outcomes/load-outcome-data.js";
import type { OutcomeRow } from "../src/learning/outcomes/outcome-row.js";
import { defaultRouterCandidates } from "../src/learning/selection/router-candidates.js";
import { SeededRandom } from "../src/routing/learned/seeded-random.js";

/** ../shared relative to the repo root (RIGHTSIZE_SHARED overrides). */
export function sharedDir(): string {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  return process.env.RIGHTSIZE_SHARED ?? path.resolve(repoRoot, "../shared");
}

export interface PairTask {
  name: string;
  /** Leave-one-dataset-out unit: defaults for this task are chosen on the other datasets' tasks. */
  dataset: string;
  file: string;
  categories?: string[];
  dropContaminated?: boolean;
  dropVersionConflict?: boolean;
  small: string;
  large: string;
  /** Reference APGRs quoted by the issue (measured by the reference implementation). */
  quoted?: number;
  /** Too few rows to hold a target. */
  reportOnly?: boolean;
}

const gpt4 = "gpt-4-1106-preview";
const mixtral = "Mixtral-8x7B-Instruct-v0.1";
const gpt4o = "gpt-4o-2024-05-13";

export const pairTasks: PairTask[] = [
  {
    name: "GSM8K",
    dataset: "GSM8K",
    file: "routellm_outcomes.jsonl",
    categories: ["gsm8k"],
    dropContaminated: true,
    small: mixtral,
    large: gpt4,
    quoted: 0.59,
  },
  {
    name: "MMLU",
    dataset: "MMLU",
    file: "routellm_outcomes.jsonl",
    categories: ["mmlu/"],
    dropContaminated: true,
    small: mixtral,
    large: gpt4,
    quoted: 0.65,
  },
  {
    name: "MMLU-Pro/Llama-8B",
    dataset: "MMLU-Pro",
    file: "mmlupro_outcomes.jsonl",
    dropVersionConflict: true,
    small: "Meta-Llama-3.1-8B-Instruct",
    large: gpt4o,
    quoted: 0.56,
  },
  {
    name: "MMLU-Pro/Phi-3",
    dataset: "MMLU-Pro",
    file: "mmlupro_outcomes.jsonl",
    dropVersionConflict: true,
    small: "Phi-3-mini-4k-instruct",
    large: gpt4o,
    quoted: 0.6,
  },
  {
    name: "MT-Bench",
    dataset: "MT-Bench",
    file: "routellm_outcomes.jsonl",
    categories: ["mt_bench"],
    small: mixtral,
    large: gpt4,
    reportOnly: true,
  },
  { name: "Arena/Mixtral", dataset: "Arena", file: "arenahard_outcomes.jsonl", small: mixtral, large: gpt4, quoted: 0.52 },
  { name: "Arena/Mistral-7B", dataset: "Arena", file: "arenahard_outcomes.jsonl", small: "Mistral-7B-Instruct-v0.1", large: gpt4 },
];

/** Datasets in the order the leave-one-dataset-out table prints them. */
export const datasets = [...new Set(pairTasks.map((task) => task.dataset))];

/** An N-model pool: every model with a price, rows where all of them were graded. */
export interface PoolTask {
  name: string;
  file: string;
  models: string[];
  dropVersionConflict?: boolean;
}

/** The Arena-Bench-V1 models that have a price in prices.json. */
export const arenaPricedModels = [
  gpt4,
  "gpt-4-0314",
  "gpt-3.5-turbo-1106",
  mixtral,
  "claude-2.1",
  "claude-instant-1",
  "Llama-2-70b-chat",
  "Mistral-7B-Instruct-v0.1",
];

/** The 16 MMLU-Pro models that cover every row. */
export const mmluProFullModels = [
  gpt4o,
  "Meta-Llama-3.1-70B-Instruct",
  "jamba-1.5-large",
  "Qwen1.5-72B-Chat",
  "Meta-Llama-3.1-8B-Instruct",
  "mathstral-7B",
  mixtral,
  "Phi-3-mini-4k-instruct",
  "c4ai-command-r-v01",
  "Meta-Llama-3-8B",
  "gemma-7b",
  "Mistral-7B-Instruct-v0.2",
  "Yi-6b-Chat",
  "Qwen1.5-7B-Chat",
  "Mistral-7B-Instruct-v0.1",
  "Llama-2-7b-hf",
];

/** The rows a pair task evaluates on (its file, filters and both models present). */
export async function loadPairRows(task: PairTask): Promise<OutcomeRow[]> {
  const { rows } = await loadOutcomeData(path.join(sharedDir(), "data", task.file), {
    dropContaminated: task.dropContaminated,
    dropVersionConflict: task.dropVersionConflict,
    categoryPrefixes: task.categories,
    requireModels: [task.small, task.large],
  });
  return quickLimit(rows);
}

/**
 * BENCH_QUICK=1 (npm run bench:routing-quality -- --quick): at most 1,500 rows per task, a seeded
 * sample, so a run takes minutes; figures are then noisier than the full run's.
 */
export const quick = process.env.BENCH_QUICK === "1";

function quickLimit(rows: OutcomeRow[]): OutcomeRow[] {
  if (!quick || rows.length <= 1500) return rows;
  const fold = foldsOfRows(rows.length);
  return rows.filter((_, i) => (fold[i] ?? 0) < 1500);
}

function foldsOfRows(n: number): Int32Array {
  const order = new SeededRandom(11).permutation(n);
  const rank = new Int32Array(n);
  order.forEach((row, position) => {
    rank[row] = position;
  });
  return rank;
}

/** The rows of an N-model pool: all its models present. */
export async function loadPoolRows(models: readonly string[], file: string, dropVersionConflict = false): Promise<OutcomeRow[]> {
  const { rows } = await loadOutcomeData(path.join(sharedDir(), "data", file), { dropVersionConflict, requireModels: [...models] });
  return quickLimit(rows);
}

/** The MMLU-Pro rows of the N-model section (no version conflicts, all 16 models present). */
export async function loadNModelRows(): Promise<OutcomeRow[]> {
  const { rows } = await loadOutcomeData(path.join(sharedDir(), "data", "mmlupro_outcomes.jsonl"), {
    dropVersionConflict: true,
    requireModels: mmluProFullModels,
  });
  return rows;
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
export const sd = (xs: readonly number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
/** "0.123 ± 0.004": how the bench prints a per-fold figure. */
export const meanSd = (xs: readonly number[]): string => `${mean(xs).toFixed(3)} ± ${sd(xs).toFixed(3)}`;

export interface BenchRouter {
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  reference?: boolean;
  /** One of the candidates the default is chosen from (leave one dataset out) and `--router auto` chooses from. */
  candidate?: boolean;
  /** Left out of the 16-model section to keep the run under ~10 minutes (16 logistic regressions per fold). */
  skipNModels?: boolean;
}

const wordOnly = { tfidf: { dims: 1 << 18, wordNgrams: [1, 2], charNgrams: null, minDf: 1 }, stats: false };

/**
 * References as the issue defines them (TF-IDF on word uni+bigrams: kNN k=20, and logistic
 * regression), then the candidate grid of `--router auto` (src/learning/selection/router-candidates.ts),
 * then the other kinds (BENCH_ALL=1 adds them: slow on the large tasks).
 */
export const benchRouters: BenchRouter[] = [
  { name: "ref TF-IDF kNN k=20", kind: "knn", settings: { k: 20, power: 1, prior: 0, topTerms: 0, features: wordOnly }, reference: true },
  { name: "ref TF-IDF logreg", kind: "linear", settings: { epochs: 4, learningRate: 0.05, l2: 1e-4, features: wordOnly }, reference: true },
  ...defaultRouterCandidates.map((c) => ({
    name: c.name,
    kind: c.kind,
    settings: c.settings,
    candidate: !c.baseline,
    skipNModels: c.kind === "linear" || c.kind === "random",
  })),
  ...(process.env.BENCH_ALL === "1"
    ? [
        { name: "mlp", kind: "mlp", settings: {} },
        { name: "matrix-factorization", kind: "matrix-factorization", settings: {} },
        { name: "ensemble (knn + linear)", kind: "ensemble", settings: {}, skipNModels: true },
      ]
    : []),
];
