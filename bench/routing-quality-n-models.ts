import { readFileSync } from "node:fs";
import path from "node:path";
import { PriceTable, type ModelPrice } from "../src/pricing/price-table.js";
import { estimateCosts } from "../src/routing/learned/apply-routing-policy.js";
import type { OutcomeRow } from "../src/learning/outcomes/outcome-row.js";
import { mmluProFullModels, sharedDir, type BenchRouter } from "./routing-quality-tasks.js";

export interface Point {
  lambda: number;
  accuracy: number;
  cost: number;
}

/** USD of one request on one model with the tokens it really used (chars / 4). */
export function realCost(row: OutcomeRow, model: string, prices: PriceTable): number {
  return prices.costOfChars(model, row.prompt.length, row.outcomes[model]?.output_chars ?? 0);
}

/** Accuracy and real cost of argmax(quality − λ·predicted cost) per row, for every λ of the sweep. */
export function sweep(rows: readonly OutcomeRow[], qualities: number[][], prices: PriceTable): Point[] {
  const models = mmluProFullModels;
  const meanOut = models.map((m) => rows.reduce((s, r) => s + (r.outcomes[m]?.output_chars ?? 0), 0) / rows.length);
  const predictedCosts = rows.map((row) => estimateCosts(models, row.prompt.length, meanOut, prices));
  // 240 λ values over five decades: fine enough that a readout such as "accuracy at ≤ 50% of the
  // cost" is not limited by the grid (80 values left gaps of several % of cost near 50%).
  const lambdas = [0, ...Array.from({ length: 240 }, (_, i) => 10 ** (-4 + (i * 5) / 239))];
  return lambdas.map((lambda) => {
    let correct = 0;
    let cost = 0;
    rows.forEach((row, r) => {
      const q = qualities[r] ?? [];
      const c = predictedCosts[r] ?? [];
      let best = 0;
      let bestValue = -Infinity;
      for (let m = 0; m < models.length; m++) {
        const value = (q[m] ?? 0) - lambda * (c[m] ?? 0);
        if (value > bestValue) {
          bestValue = value;
          best = m;
        }
      }
      const model = models[best] ?? "";
      correct += row.outcomes[model]?.score ?? 0;
      cost += realCost(row, model, prices);
    });
    return { lambda, accuracy: correct / rows.length, cost };
  });
}

/** Always the first (largest) model: its accuracy and total real cost, the reference of the frontier. */
export function alwaysLarge(rows: readonly OutcomeRow[], prices: PriceTable): { large: string; largeAccuracy: number; largeCost: number } {
  const large = mmluProFullModels[0] ?? "";
  const largeAccuracy = rows.reduce((s, r) => s + (r.outcomes[large]?.score ?? 0), 0) / rows.length;
  const largeCost = rows.reduce((s, r) => s + realCost(r, large, prices), 0);
  return { large, largeAccuracy, largeCost };
}

export function loadPrices(): PriceTable {
  const raw = JSON.parse(readFileSync(path.join(sharedDir(), "data", "prices.json"), "utf8")) as Record<string, ModelPrice>;
  return PriceTable.fromRecord(Object.fromEntries(Object.entries(raw).filter(([id]) => !id.startsWith("_"))));
}

export const frontierHeader = [
  "| router | best accuracy (cost) | accuracy at ≤ 50% cost | lowest cost with accuracy ≥ gpt-4o |",
  "|---|---|---|---|",
];

/** One table row: the best accuracy, the best at ≤ 50% of always-large's cost, the cheapest point matching it. */
export function frontierRow(name: string, points: readonly Point[], largeAccuracy: number, largeCost: number): string {
  const share = (p: Point): string => `${((100 * p.cost) / largeCost).toFixed(1)}%`;
  const best = points.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  const underHalf = points
    .filter((p) => p.cost <= 0.5 * largeCost)
    .reduce<Point | undefined>((a, b) => (!a || b.accuracy > a.accuracy ? b : a), undefined);
  const matching = points
    .filter((p) => p.accuracy >= largeAccuracy)
    .reduce<Point | undefined>((a, b) => (!a || b.cost < a.cost ? b : a), undefined);
  return `| ${name} | ${best.accuracy.toFixed(4)} (${share(best)}) | ${underHalf ? `${underHalf.accuracy.toFixed(4)} (${share(underHalf)})` : "—"} | ${matching ? `${share(matching)} (${matching.accuracy.toFixed(4)})` : "not reached"} |`;
}

/** N-model MMLU-Pro: cost–accuracy frontier of argmax(quality − λ·cost) per router against always-gpt-4o. */
export async function nModelReport(
  rows: readonly OutcomeRow[],
  routers: readonly BenchRouter[],
  outOfFold: (router: BenchRouter) => Promise<number[][]>,
): Promise<string[]> {
  const lines: string[] = [];
  const log = (line: string): void => {
    lines.push(line);
  };
  const prices = loadPrices();
  const { large, largeAccuracy, largeCost } = alwaysLarge(rows, prices);
  log(
    `\nN models: MMLU-Pro, ${mmluProFullModels.length} models, ${rows.length} rows; always ${large}: accuracy ${largeAccuracy.toFixed(4)}, cost 100%`,
  );
  log("target: accuracy ≥ gpt-4o's at ≤ 50% of its cost");
  frontierHeader.forEach(log);
  const frontiers = new Map<string, Point[]>();
  for (const router of routers) {
    if (router.skipNModels || router.name.includes("logreg") || router.kind === "random") continue;
    const started = Date.now();
    const points = sweep(rows, await outOfFold(router), prices);
    frontiers.set(router.name, points);
    log(frontierRow(router.name, points, largeAccuracy, largeCost));
    process.stderr.write(`  N-model ${router.name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  for (const [name, points] of frontiers) {
    const pareto = [...points]
      .sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy)
      .filter((p, i, sorted) => sorted.slice(0, i).every((q) => q.accuracy < p.accuracy))
      .filter(
        (p, i, pareto) =>
          i === pareto.length - 1 || Math.floor((20 * p.cost) / largeCost) !== Math.floor((20 * (pareto[i + 1]?.cost ?? 0)) / largeCost),
      );
    const frontier = pareto.map((p) => `${((100 * p.cost) / largeCost).toFixed(0)}%:${p.accuracy.toFixed(3)}`).join("  ");
    log(`frontier ${name} (cost share of always-${large}:accuracy, Pareto points of the λ sweep, the best per 5% of cost): ${frontier}`);
  }
  return lines;
}
