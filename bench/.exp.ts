import path from "node:path";
import { loadOutcomeData } from "../src/learning/outcomes/load-outcome-data.js";
import { trainPredictor } from "../src/learning/training/train-predictor.js";
import { apgr, foldsOf } from "../src/learning/training/validation-metrics.js";
import { promptRequest } from "../src/routing/features/request-feature-text.js";
import { pairScore } from "../src/routing/learned/apply-routing-policy.js";
const [file, cat, small, large, limit] = process.argv.slice(2);
const { rows } = await loadOutcomeData(path.join("/work/shared/data", file!), { categoryPrefixes: cat && cat !== "-" ? [cat] : undefined, dropContaminated: true, dropVersionConflict: true, requireModels: [small!, large!], limit: limit ? Number(limit) : undefined });
const wordOnly = { tfidf: { dims: 1 << 18, wordNgrams: [1, 2], charNgrams: null, minDf: 1 }, stats: false };
const variants: Array<[string, string, Record<string, unknown>]> = JSON.parse(process.env.V ?? "[]");
const base: Array<[string, string, Record<string, unknown>]> = [
  ["knn20", "knn", { k: 20, power: 1, prior: 0, topTerms: 0, features: wordOnly }],
  ["ref-lr", "linear", { epochs: 4, learningRate: 0.05, l2: 1e-4, features: wordOnly }],
  ["linear", "linear", {}],
];
const folds = 5, seed = 7;
const fold = foldsOf(rows.length, folds, seed);
for (const [name, kind, settings] of [...(process.env.NOBASE ? [] : base), ...variants]) {
  const t = Date.now();
  const per: number[] = [];
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => fold[i] !== f);
    const test = rows.filter((_, i) => fold[i] === f);
    const p = await trainPredictor(kind, train, { models: [small!, large!], seed, settings });
    const scores = [];
    for (const r of test) scores.push(pairScore((await p.predict(promptRequest(r.prompt))).qualities, 0, 1));
    per.push(apgr(scores, test.map((r) => r.outcomes[small!]!.score), test.map((r) => r.outcomes[large!]!.score)));
  }
  const m = per.reduce((a, b) => a + b) / folds;
  const sd = Math.sqrt(per.reduce((a, b) => a + (b - m) ** 2, 0) / folds);
  console.log(`${rows.length} ${name}: ${m.toFixed(3)} ± ${sd.toFixed(3)}  (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
