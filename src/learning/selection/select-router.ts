import { promptRequest } from "../../routing/features/request-feature-text.js";
import { pairScore } from "../../routing/learned/apply-routing-policy.js";
import { SeededRandom } from "../../routing/learned/seeded-random.js";
import type { OutcomeRow } from "../outcomes/outcome-row.js";
import type { LearnedTrainOptions } from "../training/train-options.js";
import { apgr, foldsOf } from "../training/validation-metrics.js";
import { defaultRouterCandidates, type RouterCandidate } from "./router-candidates.js";

/** Cross-validated figure of one candidate. */
export interface CandidateResult {
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  /** The figure per inner fold: APGR for a pair; for N models, mean score of the predicted-best model minus the best single model's. */
  folds: number[];
  mean: number;
  sd: number;
  seconds: number;
}

/** What `--router auto` chose and why: stored in the artifact (`training.selection`). */
export interface RouterSelection {
  metric: "apgr" | "gain over best single model";
  innerFolds: number;
  rows: number;
  chosen: { name: string; kind: string; settings: Record<string, unknown> };
  table: CandidateResult[];
  /** Candidates not tried because the time bound was reached. */
  skipped: string[];
  /** Set when no candidate beats the baseline (random for a pair, the best single model for N) by more than the fold noise. */
  warning?: string;
}

export interface SelectRouterOptions extends LearnedTrainOptions {
  /** Trains one candidate (the registry's `trainPredictor`). */
  train: (kind: string, rows: readonly OutcomeRow[], options: LearnedTrainOptions) => Promise<{ predict: PredictFn }>;
  candidates?: readonly RouterCandidate[];
  innerFolds?: number;
  /** Rows the inner CV runs on at most (a seeded sample of them; the chosen kind is then trained on all). */
  maxRows?: number;
  /** Stop trying further candidates once this much time has passed (the ones tried still count). */
  timeBudgetMs?: number;
  now?: () => number;
}

type PredictFn = (request: ReturnType<typeof promptRequest>) => { qualities: number[] } | Promise<{ qualities: number[] }>;

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sd = (xs: readonly number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/**
 * Inner cross-validation over the candidates on the caller's training rows, deterministic for
 * a seed: every candidate sees the same folds, the highest mean figure wins (ties: the earlier
 * candidate, so simpler kinds first). For a pair the figure is APGR with the higher-scoring model
 * as the strong one; for N models it is the predicted-best model's mean score minus the best
 * single model's (chosen on the inner training folds).
 */
export async function selectRouter(rows: readonly OutcomeRow[], options: SelectRouterOptions): Promise<RouterSelection> {
  const candidates = options.candidates ?? defaultRouterCandidates;
  const innerFolds = options.innerFolds ?? 3;
  const now = options.now ?? Date.now;
  const started = now();
  const sample = sampleRows(rows, options.maxRows ?? 4000, options.seed);
  const fold = foldsOf(sample.length, innerFolds, options.seed + 1);
  const models = options.models;
  const pair = models.length === 2;
  const table: CandidateResult[] = [];
  const skipped: string[] = [];
  const steps = candidates.length * innerFolds;
  for (const [c, candidate] of candidates.entries()) {
    if (options.timeBudgetMs !== undefined && table.length > 0 && now() - started > options.timeBudgetMs) {
      skipped.push(candidate.name);
      continue;
    }
    const t0 = now();
    const values: number[] = [];
    for (let f = 0; f < innerFolds; f++) {
      options.onProgress?.(c * innerFolds + f, steps, `auto: ${candidate.name}`);
      const train = sample.filter((_, i) => fold[i] !== f);
      const test = sample.filter((_, i) => fold[i] === f);
      const predictor = await options.train(candidate.kind, train, {
        models,
        seed: options.seed,
        settings: candidate.settings,
        ...(options.embedder ? { embedder: options.embedder } : {}),
      });
      const qualities: number[][] = [];
      for (const row of test) qualities.push((await predictor.predict(promptRequest(row.prompt))).qualities);
      values.push(pair ? pairFigure(train, test, qualities, models) : poolFigure(train, test, qualities, models));
    }
    table.push({ ...candidate, folds: values, mean: mean(values), sd: sd(values), seconds: (now() - t0) / 1000 });
  }
  options.onProgress?.(steps, steps, "auto");
  const choosable = table.filter((row) => !candidates.find((c) => c.name === row.name)?.baseline);
  const best = (choosable.length ? choosable : table).reduce((a, b) => (b.mean > a.mean ? b : a));
  const selection: RouterSelection = {
    metric: pair ? "apgr" : "gain over best single model",
    innerFolds,
    rows: sample.length,
    chosen: { name: best.name, kind: best.kind, settings: best.settings },
    table,
    skipped,
  };
  const random = table.find((r) => r.kind === "random");
  const baseline = pair ? (random?.mean ?? 0.5) : 0;
  if (best.mean - baseline <= best.sd) {
    selection.warning = pair
      ? `no router beats random by more than the fold noise (best ${best.name}: APGR ${best.mean.toFixed(3)} ± ${best.sd.toFixed(3)}, random ${baseline.toFixed(3)}); routing may not pay on this data`
      : `no router beats the best single model by more than the fold noise (best ${best.name}: ${best.mean >= 0 ? "+" : ""}${best.mean.toFixed(3)} ± ${best.sd.toFixed(3)}); calibrate it so it falls back to that model`;
  }
  return selection;
}

function sampleRows(rows: readonly OutcomeRow[], max: number, seed: number): readonly OutcomeRow[] {
  if (rows.length <= max) return rows;
  const keep = new Set(new SeededRandom(seed + 2).permutation(rows.length).subarray(0, max));
  return rows.filter((_, i) => keep.has(i));
}

const scoreOf = (row: OutcomeRow, model: string): number => row.outcomes[model]?.score ?? 0;

function pairFigure(train: readonly OutcomeRow[], test: readonly OutcomeRow[], qualities: number[][], models: readonly string[]): number {
  const [a = "", b = ""] = models;
  const strong = mean(train.map((r) => scoreOf(r, b))) >= mean(train.map((r) => scoreOf(r, a))) ? 1 : 0;
  const weak = 1 - strong;
  return apgr(
    qualities.map((q) => pairScore(q, weak, strong)),
    test.map((r) => scoreOf(r, models[weak] ?? "")),
    test.map((r) => scoreOf(r, models[strong] ?? "")),
  );
}

function poolFigure(train: readonly OutcomeRow[], test: readonly OutcomeRow[], qualities: number[][], models: readonly string[]): number {
  const trainMeans = models.map((m) => mean(train.map((r) => scoreOf(r, m))));
  const single = models[trainMeans.indexOf(Math.max(...trainMeans))] ?? "";
  const chosen = test.map((row, i) => {
    const q = qualities[i] ?? [];
    return scoreOf(row, models[q.indexOf(Math.max(...q))] ?? "");
  });
  return mean(chosen) - mean(test.map((r) => scoreOf(r, single)));
}

/** The table `train --router auto` prints, best first marked. */
export function formatSelection(selection: RouterSelection): string {
  const lines = [
    `auto: ${selection.innerFolds}-fold inner cross-validation on ${selection.rows} rows, ${selection.metric} (mean ± sd over folds):`,
  ];
  for (const row of [...selection.table].sort((x, y) => y.mean - x.mean)) {
    const mark = row.name === selection.chosen.name ? "→" : " ";
    lines.push(`  ${mark} ${row.name.padEnd(20)} ${row.mean.toFixed(3)} ± ${row.sd.toFixed(3)}   (${row.seconds.toFixed(1)} s)`);
  }
  if (selection.skipped.length) lines.push(`  not tried (time bound reached): ${selection.skipped.join(", ")}`);
  lines.push(`auto chose ${selection.chosen.name}`);
  if (selection.warning) lines.push(`warning: ${selection.warning}`);
  return `${lines.join("\n")}\n`;
}
