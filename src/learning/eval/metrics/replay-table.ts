import type { OutcomeRow } from "../../outcomes/outcome-row.js";
import type { PriceTable } from "../../../pricing/price-table.js";

/**
 * Outcome data laid out for replay: for every model (model-major) and row, the score the model
 * got and what the request would have cost (USD). Every metric reads this table only.
 */
export interface ReplayTable {
  models: string[];
  ids: string[];
  categories: string[];
  /** Characters of the prompt per row (for cost estimates at decision time). */
  promptChars: Float64Array;
  /** scores[m][i]: score of model m on row i, in [0,1]. */
  scores: Float64Array[];
  /** costs[m][i]: USD that row i costs on model m (prompt + that model's actual answer). */
  costs: Float64Array[];
}

/** Builds the table; every row must carry every model (the caller filters and reports others). */
export function buildReplayTable(rows: readonly OutcomeRow[], models: readonly string[], prices: PriceTable): ReplayTable {
  const n = rows.length;
  const scores = models.map(() => new Float64Array(n));
  const costs = models.map(() => new Float64Array(n));
  const promptChars = new Float64Array(n);
  const ids: string[] = [];
  const categories: string[] = [];
  const missing = prices.missing(models);
  if (missing.length) throw new Error(`no price in the price table for ${missing.map((m) => `"${m}"`).join(", ")}`);
  rows.forEach((row, i) => {
    ids.push(row.id);
    categories.push(row.category);
    promptChars[i] = row.prompt.length;
    models.forEach((model, m) => {
      const outcome = row.outcomes[model];
      if (!outcome) throw new Error(`row ${row.id} has no outcome for model "${model}"`);
      scores[m]![i] = outcome.score;
      costs[m]![i] = prices.costOfChars(model, row.prompt.length, outcome.output_chars);
    });
  });
  return { models: [...models], ids, categories, promptChars, scores, costs };
}

/** The rows of a table at the given indices, in that order. */
export function subsetReplayTable(table: ReplayTable, indices: readonly number[]): ReplayTable {
  const pick = (a: Float64Array): Float64Array => Float64Array.from(indices, (i) => a[i]!);
  return {
    models: table.models,
    ids: indices.map((i) => table.ids[i]!),
    categories: indices.map((i) => table.categories[i]!),
    promptChars: pick(table.promptChars),
    scores: table.scores.map(pick),
    costs: table.costs.map(pick),
  };
}

export function rowCount(table: ReplayTable): number {
  return table.ids.length;
}
