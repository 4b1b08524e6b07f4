import type { ReplayTable } from "../../src/learning/eval/metrics/replay-table.js";

/** A hand-written replay table: scores[m][i] and costs[m][i] (USD per request). */
export function makeReplayTable(models: string[], scores: number[][], costs: number[][], categories?: string[]): ReplayTable {
  const n = scores[0]?.length ?? 0;
  return {
    models,
    ids: Array.from({ length: n }, (_, i) => `row-${i}`),
    categories: categories ?? Array.from({ length: n }, () => "all"),
    promptChars: new Float64Array(n).fill(40),
    scores: scores.map((s) => Float64Array.from(s)),
    costs: costs.map((c) => Float64Array.from(c)),
  };
}

/** The 4-row pair example worked by hand in the metric tests: weak 0.25, strong 0.75. */
export function fourRowPair(): { table: ReplayTable; scores: number[] } {
  const table = makeReplayTable(
    ["small", "large"],
    [
      [1, 0, 0, 0],
      [1, 1, 1, 0],
    ],
    [
      [0.001, 0.001, 0.001, 0.001],
      [0.01, 0.01, 0.01, 0.01],
    ],
  );
  return { table, scores: [0.4, 0.9, 0.7, 0.1] };
}
