import { averageImprovementInQuality } from "../metrics/average-improvement-in-quality.js";
import { averagePerformanceGapRecovered } from "../metrics/average-performance-gap-recovered.js";
import { summariseOutcomes } from "../metrics/curve-point.js";
import { oracleChoices } from "../metrics/baselines.js";
import type { ReplayTable } from "../metrics/replay-table.js";
import type { SweptRouter } from "../metrics/swept-router.js";
import type { CategoryEvaluation, RouterEvaluation } from "./eval-report.js";

/**
 * Per category (the largest `maxCategories`, the rest pooled as "(other)"): the baselines'
 * quality, each router's APGR and AIQ on that category's rows, and the figures of its calibrated
 * policy there.
 */
export function categoryBreakdown(
  table: ReplayTable,
  routers: readonly { swept: SweptRouter; evaluation: RouterEvaluation }[],
  reference: { small: number; large: number; mode: "pair" | "pool"; costRange: { min: number; max: number } },
  maxCategories = 15,
): CategoryEvaluation[] {
  const groups = groupRows(table.categories, maxCategories);
  const oracle = oracleChoices(table);
  const meanOf = (column: Float64Array, rows: number[]): number => rows.reduce((s, i) => s + column[i]!, 0) / rows.length;
  const outcomes = routers.map(({ swept, evaluation }) => {
    const param = evaluation.operatingPoint?.all.param;
    return param === undefined ? undefined : swept.outcomesAt(param);
  });
  return groups.map(([category, rows]) => {
    const small = meanOf(table.scores[reference.small]!, rows);
    const large = meanOf(table.scores[reference.large]!, rows);
    const entry: CategoryEvaluation = {
      category,
      rows: rows.length,
      small,
      large,
      oracle: rows.reduce((s, i) => s + table.scores[oracle[i]!]![i]!, 0) / rows.length,
      routers: {},
    };
    routers.forEach(({ swept }, r) => {
      const curve = swept.restrict(rows).curve;
      const atPolicy = outcomes[r] ? summariseOutcomes(outcomes[r]!, Number.NaN, rows) : undefined;
      entry.routers[swept.name] = {
        apgr: reference.mode === "pair" ? averagePerformanceGapRecovered(curve, small, large) : null,
        aiq: averageImprovementInQuality(
          curve.map((p) => ({ cost: p.costPer1k, quality: p.quality })),
          reference.costRange,
        ),
        quality: atPolicy?.quality ?? Number.NaN,
        costPer1k: atPolicy?.costPer1k ?? Number.NaN,
        largeShare: atPolicy?.largeShare ?? Number.NaN,
      };
    });
    return entry;
  });
}

/** Row indices per category, largest first; past `max` categories the rest are pooled. */
export function groupRows(categories: readonly string[], max: number): [string, number[]][] {
  const byCategory = new Map<string, number[]>();
  categories.forEach((category, i) => {
    const rows = byCategory.get(category) ?? [];
    rows.push(i);
    byCategory.set(category, rows);
  });
  const sorted = [...byCategory.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  if (sorted.length <= max) return sorted;
  const kept = sorted.slice(0, max - 1);
  const rest = sorted.slice(max - 1);
  const pooled = rest.flatMap(([, rows]) => rows).sort((a, b) => a - b);
  return [...kept, [`(other ${rest.length} categories)`, pooled]];
}
