/**
 * Information ceilings of the routing-quality bench. These are not routers: each one sees
 * something that no router has before the call, either the question's subject label or the
 * other models' actual outcomes on that same question. Each is fitted on 4 folds and scored on
 * the 5th, with the same fold split, loader, filters, APGR and λ sweep as the routers. They
 * show how far that information alone can go, which indicates what a router can get from the
 * prompt text. It does not prove a bound: the text may carry model-specific signal they lack.
 */
import type { OutcomeRow } from "../src/learning/outcomes/outcome-row.js";
import { apgr, foldsOf } from "../src/learning/training/validation-metrics.js";
import { alwaysLarge, frontierHeader, frontierRow, loadPrices, sweep } from "./routing-quality-n-models.js";
import { loadNModelRows, loadPairRows, meanSd, mmluProFullModels, pairTasks, type PairTask } from "./routing-quality-tasks.js";
import { ridgeFit } from "./support/ridge-fit.js";

/** Fits on the training rows and returns the prediction for any row. */
type Fit<T> = (train: readonly OutcomeRow[]) => (row: OutcomeRow) => T;

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
const score = (row: OutcomeRow, model: string): number => row.outcomes[model]?.score ?? 0;

/** Scores of `models` on the row, a bias, and (with `categories`) a one-hot of the category without the first (the bias covers it). */
function features(row: OutcomeRow, models: readonly string[], categories?: readonly string[]): number[] {
  for (const model of models) if (!row.outcomes[model]) throw new Error(`row ${row.id} has no outcome for ${model}`);
  return [...models.map((m) => score(row, m)), 1, ...(categories ?? []).slice(1).map((c) => (row.category === c ? 1 : 0))];
}

/** Least squares of `target` on `features`, fitted on the training rows. */
const linearFit =
  (feats: (row: OutcomeRow) => number[], target: (row: OutcomeRow) => number): Fit<number> =>
  (train) => {
    const beta = ridgeFit(train.map(feats), train.map(target));
    return (row) => dot(beta, feats(row));
  };

/** Mean of `value` over the training rows of the test row's category (an unseen category: the overall mean). */
const categoryMeanFit =
  (value: (row: OutcomeRow) => number[]): Fit<number[]> =>
  (train) => {
    const sums = new Map<string, { n: number; sum: number[] }>();
    const add = (key: string, v: number[]): void => {
      const entry = sums.get(key) ?? { n: 0, sum: v.map(() => 0) };
      entry.n++;
      entry.sum = entry.sum.map((s, i) => s + (v[i] ?? 0));
      sums.set(key, entry);
    };
    for (const row of train) {
      const v = value(row);
      add(`c:${row.category}`, v);
      add("all", v);
    }
    return (row) => {
      const entry = sums.get(`c:${row.category}`) ?? sums.get("all");
      return entry ? entry.sum.map((s) => s / entry.n) : [];
    };
  };

/** Held-out predictions of every row: fitted on the other folds. */
function outOfFold<T>(rows: readonly OutcomeRow[], fold: Int32Array, folds: number, fit: Fit<T>): T[] {
  const out = new Array<T>(rows.length);
  for (let f = 0; f < folds; f++) {
    const predict = fit(rows.filter((_, i) => fold[i] !== f));
    rows.forEach((row, i) => {
      if (fold[i] === f) out[i] = predict(row);
    });
  }
  return out;
}

/** APGR of held-out scores per fold, as the routers are reported. */
function foldApgrs(rows: readonly OutcomeRow[], fold: Int32Array, folds: number, task: PairTask, fit: Fit<number>): number[] {
  const scores = outOfFold(rows, fold, folds, fit);
  return Array.from({ length: folds }, (_, f) => {
    const idx = rows.map((_, i) => i).filter((i) => fold[i] === f);
    const outcome = (model: string): number[] => idx.map((i) => score(rows[i] as OutcomeRow, model));
    return apgr(
      idx.map((i) => scores[i] ?? 0),
      outcome(task.small),
      outcome(task.large),
    );
  });
}

const pairCeilings: { name: string; sees: string; fit: (task: PairTask, rows: readonly OutcomeRow[]) => Fit<number> | undefined }[] = [
  {
    name: "subject known",
    sees: "the row's category label (MMLU subject, MMLU-Pro discipline, MT-Bench category); score = mean(strong − weak) of that category in the training folds; — where the pair has one category",
    fit: (task, rows) => {
      if (new Set(rows.map((r) => r.category)).size < 2) return undefined;
      const fit = categoryMeanFit((r) => [score(r, task.large) - score(r, task.small)]);
      return (train) => {
        const predict = fit(train);
        return (row) => predict(row)[0] ?? 0;
      };
    },
  },
  {
    name: "other models' outcomes known (OLS)",
    sees: "whether each of the 14 other full-coverage MMLU-Pro models answered this very question; score = least squares of strong − weak on those 14 outcomes + bias",
    fit: (task) => (task.file.startsWith("mmlupro") ? othersFit(task) : undefined),
  },
  {
    name: "other models' outcomes + subject (OLS)",
    sees: "the same plus the category one-hots",
    fit: (task, rows) => (task.file.startsWith("mmlupro") ? othersFit(task, [...new Set(rows.map((r) => r.category))].sort()) : undefined),
  },
  {
    name: "oracle (both outcomes known)",
    sees: "the answer itself: score = strong − weak of the row; the most any router can reach (above 1 where the weak model beats the strong one on some rows)",
    fit: (task) => () => (row) => score(row, task.large) - score(row, task.small),
  },
];

function othersFit(task: PairTask, categories?: readonly string[]): Fit<number> {
  const others = mmluProFullModels.filter((m) => m !== task.small && m !== task.large);
  return linearFit(
    (row) => features(row, others, categories),
    (row) => score(row, task.large) - score(row, task.small),
  );
}

const pairPartner = "Meta-Llama-3.1-70B-Instruct";

/** Qualities for a two-candidate pool (large vs pairPartner), the large one's from the observers' outcomes; the rest never chosen. */
function pairWithObserversFit(large: string): Fit<number[]> {
  const observers = mmluProFullModels.filter((m) => m !== large && m !== pairPartner);
  const gain = linearFit(
    (row) => features(row, observers),
    (row) => score(row, large) - score(row, pairPartner),
  );
  return (train) => {
    const predict = gain(train);
    return (row) => {
      const diff = predict(row);
      return mmluProFullModels.map((m) => (m === large ? diff : m === pairPartner ? 0 : -10));
    };
  };
}

/** The report lines: an APGR table per pair and a frontier table for the 16 models. */
export async function ceilingReport(folds: number, seed: number): Promise<string[]> {
  const lines = ["\nInformation ceilings (not routers: each sees something no router has before the call)"];
  const cells = pairCeilings.map(() => [] as string[]);
  const header: string[] = [];
  for (const task of pairTasks) {
    const rows = await loadPairRows(task);
    const fold = foldsOf(rows.length, folds, seed);
    header.push(`${task.name} (${rows.length})`);
    pairCeilings.forEach((ceiling, c) => {
      const fit = ceiling.fit(task, rows);
      cells[c]?.push(fit ? meanSd(foldApgrs(rows, fold, folds, task, fit)) : "—");
    });
  }
  lines.push(
    `APGR, the routers' 5 folds (mean ± sd over folds); target for routers ≥ 0.70`,
    `| ceiling | ${header.join(" | ")} |`,
    `|---|${header.map(() => "---").join("|")}|`,
  );
  pairCeilings.forEach((ceiling, c) => {
    lines.push(`| ${ceiling.name} | ${cells[c]?.join(" | ")} |`);
  });
  for (const ceiling of pairCeilings) lines.push(`- ${ceiling.name}: sees ${ceiling.sees}`);

  const rows = await loadNModelRows();
  const fold = foldsOf(rows.length, folds, seed);
  const prices = loadPrices();
  const { large, largeAccuracy, largeCost } = alwaysLarge(rows, prices);
  const nCeilings: { name: string; sees: string; fit: Fit<number[]> }[] = [
    {
      name: "subject known",
      sees: "quality of each model = its accuracy on the row's category in the training folds",
      fit: categoryMeanFit((row) => mmluProFullModels.map((m) => score(row, m))),
    },
    {
      name: `${large} / ${pairPartner} pair, other models' outcomes known (OLS)`,
      sees: `only ${large} and ${pairPartner} (the best model and by far the best cheap one: 0.63 accuracy at ~4% of the cost) are candidates; quality of ${large} = least squares of (${large} − ${pairPartner}) on the other 14 models' outcomes on this very question + bias, ${pairPartner} = 0`,
      fit: pairWithObserversFit(large),
    },
    {
      name: "oracle (every outcome known)",
      sees: "quality = the real outcome of each model on the row",
      fit: () => (row) => mmluProFullModels.map((m) => score(row, m)),
    },
  ];
  lines.push(
    `\nN models: the same ${rows.length} rows, the routers' λ sweep of argmax(quality − λ·cost), held-out qualities; always ${large}: accuracy ${largeAccuracy.toFixed(4)}, cost 100%`,
  );
  lines.push(...frontierHeader.map((line) => line.replace("| router |", "| ceiling |")));
  for (const ceiling of nCeilings)
    lines.push(frontierRow(ceiling.name, sweep(rows, outOfFold(rows, fold, folds, ceiling.fit), prices), largeAccuracy, largeCost));
  for (const ceiling of nCeilings) lines.push(`- ${ceiling.name}: sees ${ceiling.sees}`);
  lines.push(
    "- no all-16-candidates version of 'other models' outcomes known': when every model is a candidate, each model's prediction would see the others' outcomes but not its own, and argmax would favour the models that failed; the pair row keeps the observers out of the pool",
  );
  return lines;
}
