import type { OutcomeRow } from "../../outcomes/outcome-row.js";
import { summariseOutcomes, type CurvePoint, type RowOutcomes } from "../metrics/curve-point.js";
import { subsetReplayTable, type ReplayTable } from "../metrics/replay-table.js";
import type { SweptRouter } from "../metrics/swept-router.js";

/**
 * A cascade to replay on outcome data: tiers cheapest first, and the per-row signal that
 * decides whether a tier's answer is kept:
 * - `confidence`: `outcomes[tier].confidence` (any scale, higher = surer: a probability, a mean
 *   token logprob); the tier is kept when it is ≥ the swept threshold;
 * - `agreement`: the tier's answer (`outcomes[tier].answer`, or for MMLU-Pro style rows `gold`
 *   when correct and `pred` when wrong) equals the `witness` model's answer; the witness is
 *   one more cheap call per row, and its cost is counted.
 */
export interface CascadeReplaySpec {
  name?: string;
  tiers: string[];
  signal: "confidence" | "agreement";
  witness?: string;
}

export interface CascadeSignals {
  /** signals[t][i]: the signal of tier t (not the last) on row i; NaN when the data has none. */
  signals: Float64Array[];
  /** Rows on which some tier lacked the signal (those tiers always escalate there). */
  missing: number;
}

/** Reads the cascade's per-row signals from the outcome rows (in table order). */
export function cascadeSignals(rows: readonly OutcomeRow[], spec: CascadeReplaySpec): CascadeSignals {
  if (spec.tiers.length < 2) throw new Error("a cascade replay needs at least two tiers");
  if (spec.signal === "agreement" && !spec.witness) throw new Error("an agreement cascade needs a witness model");
  let missing = 0;
  const signals = spec.tiers.slice(0, -1).map(() => new Float64Array(rows.length));
  rows.forEach((row, i) => {
    let rowMissing = false;
    spec.tiers.slice(0, -1).forEach((model, t) => {
      const value = spec.signal === "confidence" ? confidenceOf(row, model) : agreementOf(row, model, spec.witness as string);
      if (Number.isNaN(value)) rowMissing = true;
      signals[t]![i] = value;
    });
    if (rowMissing) missing++;
  });
  return { signals, missing };
}

function confidenceOf(row: OutcomeRow, model: string): number {
  const value = (row.outcomes[model] as { confidence?: unknown } | undefined)?.confidence;
  return typeof value === "number" && Number.isFinite(value) ? value : Number.NaN;
}

/** The model's answer on the row, when the data has it. */
export function answerOf(row: OutcomeRow, model: string): string | undefined {
  const outcome = row.outcomes[model] as { answer?: unknown; pred?: unknown; score: number } | undefined;
  if (!outcome) return undefined;
  if (typeof outcome.answer === "string" || typeof outcome.answer === "number") return String(outcome.answer).trim();
  const gold = row.extras.gold;
  if (outcome.score === 1 && (typeof gold === "string" || typeof gold === "number")) return String(gold);
  if (typeof outcome.pred === "string") return outcome.pred;
  return undefined;
}

function agreementOf(row: OutcomeRow, model: string, witness: string): number {
  const a = answerOf(row, model);
  const b = answerOf(row, witness);
  if (a === undefined || b === undefined) return Number.NaN;
  return a === b ? 1 : 0;
}

/**
 * The cascade replayed on a table whose models include every tier (and the witness): at
 * threshold τ, row i is served by the first tier whose signal ≥ τ (the last tier otherwise);
 * it costs every tier tried plus the witness, and counts as a large call when the last tier
 * (the table's `large` model) served it.
 */
export function cascadeReplay(table: ReplayTable, spec: CascadeReplaySpec, signals: CascadeSignals, large: number): SweptRouter {
  const tierIndex = spec.tiers.map((model) => {
    const m = table.models.indexOf(model);
    if (m < 0) throw new Error(`cascade tier "${model}" is not among the evaluated models`);
    return m;
  });
  const witness = spec.witness === undefined ? -1 : table.models.indexOf(spec.witness);
  if (spec.witness !== undefined && witness < 0) throw new Error(`witness "${spec.witness}" is not among the evaluated models`);
  const name = spec.name ?? `cascade(${spec.tiers.join("→")}, ${spec.signal})`;
  const outcomesAt = (threshold: number): RowOutcomes => {
    const n = table.ids.length;
    const out: RowOutcomes = { quality: new Float64Array(n), cost: new Float64Array(n), large: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      let cost = witness >= 0 ? table.costs[witness]![i]! : 0;
      let served = tierIndex[tierIndex.length - 1]!;
      for (let t = 0; t < tierIndex.length; t++) {
        const m = tierIndex[t]!;
        if (m !== witness) cost += table.costs[m]![i]!;
        const last = t === tierIndex.length - 1;
        if (last || signals.signals[t]![i]! >= threshold) {
          served = m;
          break;
        }
      }
      out.quality[i] = table.scores[served]![i]!;
      out.cost[i] = cost;
      out.large[i] = served === large ? 1 : 0;
    }
    return out;
  };
  const curve: CurvePoint[] = sweepParams(signals.signals).map((param) => summariseOutcomes(outcomesAt(param), param));
  return {
    name,
    curve,
    outcomesAt,
    restrict(rows) {
      const subset = { signals: signals.signals.map((s) => Float64Array.from(rows, (i) => s[i]!)), missing: signals.missing };
      return cascadeReplay(subsetReplayTable(table, rows), spec, subset, large);
    },
  };
}

/** Thresholds worth trying: every distinct signal value (at most ~200 quantiles) and ±∞. */
function sweepParams(signals: Float64Array[]): number[] {
  const values = [...new Set(signals.flatMap((s) => [...s].filter((v) => !Number.isNaN(v))))].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(values.length / 200));
  const picked = values.filter((_, i) => i % step === 0);
  if (values.length) picked.push(values[values.length - 1]!);
  return [Number.NEGATIVE_INFINITY, ...new Set(picked), Number.POSITIVE_INFINITY];
}

/**
 * The `extraRouters` hook of `evaluateRouters`: cascades replayed on the same table as the
 * learned routers (rows in the same order), so they share its metrics and report.
 */
export function cascadeReplayRouters(
  rows: readonly OutcomeRow[],
  specs: readonly CascadeReplaySpec[],
): (table: ReplayTable) => SweptRouter[] {
  return (table) =>
    specs.map((spec) => cascadeReplay(table, spec, cascadeSignals(rows, spec), table.models.indexOf(spec.tiers.at(-1) ?? "")));
}

/**
 * Parses a `--cascade` flag: `confidence:cheap,…,last` or `agreement:cheap,…,last@witness`.
 * Every model named must be one of `models` (the evaluated table's models).
 */
export function parseCascadeSpec(text: string, models: readonly string[]): CascadeReplaySpec {
  const match = /^(confidence|agreement):([^@]+)(?:@(.+))?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}": expected confidence:cheap,…,last or agreement:cheap,…,last@witness`);
  const signal = match[1] as CascadeReplaySpec["signal"];
  const tiers = (match[2] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const witness = match[3]?.trim();
  if (tiers.length < 2) throw new Error(`"${text}": name at least two tiers`);
  if (signal === "agreement" && !witness) throw new Error(`"${text}": an agreement cascade needs @witness`);
  for (const model of [...tiers, ...(witness ? [witness] : [])]) {
    if (!models.includes(model)) throw new Error(`"${text}": "${model}" is not one of --models (${models.join(", ")})`);
  }
  return witness ? { tiers, signal, witness } : { tiers, signal };
}
