import type { Estimate } from "../../calibration/bootstrap-intervals.js";
import type { RoutingPolicy } from "../../../routing/learned/quality-predictor.js";

export function formatShare(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "n/a" : `${(x * 100).toFixed(1)}%`;
}

export function formatNumber(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(digits);
}

/** USD per 1,000 requests with enough digits for cheap models. */
export function formatUsd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  return x >= 10 ? x.toFixed(2) : x >= 0.1 ? x.toFixed(3) : x.toPrecision(3);
}

export function formatEstimate(e: Estimate, format: (x: number) => string): string {
  return `${format(e.value)} [${format(e.low)}, ${format(e.high)}]`;
}

export function formatPolicy(policy: RoutingPolicy): string {
  if (policy.kind === "single") return `fall back to ${policy.model}`;
  return policy.kind === "threshold" ? `threshold ${Number(policy.threshold.toPrecision(6))}` : `λ ${Number(policy.lambda.toPrecision(6))}`;
}

/** A plain-text table with aligned columns (numbers right-aligned). */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((r) => /^[-\d.,%$\s[\]n/a×]*$/.test(r[c] ?? "")));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (numeric[c] && c > 0 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
