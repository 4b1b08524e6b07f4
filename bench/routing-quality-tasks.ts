import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadOutcomeData } from "../src/learning/outcomes/load-outcome-data.js";
import type { OutcomeRow } from "../src/learning/outcomes/outcome-row.js";

/** ../shared relative to the repo root (RIGHTSIZE_SHARED overrides). */
export function sharedDir(): string {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  return process.env.RIGHTSIZE_SHARED ?? path.resolve(repoRoot, "../shared");
}

export interface PairTask {
  name: string;
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
    file: "routellm_outcomes.jsonl",
    categories: ["gsm8k"],
    dropContaminated: true,
    small: mixtral,
    large: gpt4,
    quoted: 0.59,
  },
  {
    name: "MMLU",
    file: "routellm_outcomes.jsonl",
    categories: ["mmlu/"],
    dropContaminated: true,
    small: mixtral,
    large: gpt4,
    quoted: 0.65,
  },
  {
    name: "MMLU-Pro/Llama-8B",
    file: "mmlupro_outcomes.jsonl",
    dropVersionConflict: true,
    small: "Meta-Llama-3.1-8B-Instruct",
    large: gpt4o,
    quoted: 0.56,
  },
  {
    name: "MMLU-Pro/Phi-3",
    file: "mmlupro_outcomes.jsonl",
    dropVersionConflict: true,
    small: "Phi-3-mini-4k-instruct",
    large: gpt4o,
    quoted: 0.6,
  },
  { name: "MT-Bench", file: "routellm_outcomes.jsonl", categories: ["mt_bench"], small: mixtral, large: gpt4, reportOnly: true },
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
  return rows;
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
  /** Left out of the 16-model section to keep the run under ~10 minutes (16 logistic regressions per fold). */
  skipNModels?: boolean;
}

const wordOnly = { tfidf: { dims: 1 << 18, wordNgrams: [1, 2], charNgrams: null, minDf: 1 }, stats: false };

/** References as the issue defines them, then our routers with their defaults. */
export const benchRouters: BenchRouter[] = [
  { name: "ref TF-IDF kNN k=20", kind: "knn", settings: { k: 20, power: 1, prior: 0, topTerms: 0, features: wordOnly }, reference: true },
  { name: "ref TF-IDF logreg", kind: "linear", settings: { epochs: 4, learningRate: 0.05, l2: 1e-4, features: wordOnly }, reference: true },
  { name: "random", kind: "random", settings: {} },
  { name: "knn", kind: "knn", settings: {} },
  { name: "irt-knn", kind: "irt-knn", settings: {} },
  { name: "linear", kind: "linear", settings: {}, skipNModels: true },
  { name: "mlp", kind: "mlp", settings: {} },
  { name: "matrix-factorization", kind: "matrix-factorization", settings: {} },
  { name: "ensemble (knn + linear)", kind: "ensemble", settings: {}, skipNModels: true },
];
