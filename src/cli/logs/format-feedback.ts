import type { FeedbackRecord, FeedbackSummary } from "../../storage/feedback-record.js";
import type { ShadowSummary } from "../../storage/shadow-record.js";
import { formatCount, formatTable, formatUsd } from "./format-table.js";

/** One feedback value as the request table shows it: `helpful=yes`, `quality=0.75`, `issue=wrong_language`. */
export function formatFeedbackValue(record: Pick<FeedbackRecord, "metric" | "value" | "demonstration">): string {
  const value =
    typeof record.value === "boolean"
      ? record.value
        ? "yes"
        : "no"
      : typeof record.value === "number"
        ? String(+record.value.toFixed(2))
        : record.value;
  return `${record.metric}=${value}${record.demonstration !== null ? "+demo" : ""}`;
}

/** The current feedback of one request (its own, then its episode's marked `ep:`), within `width` characters. */
export function formatRequestFeedback(own: readonly FeedbackRecord[], episode: readonly FeedbackRecord[], width = 40): string {
  const parts = [...own.map(formatFeedbackValue), ...episode.map((record) => `ep:${formatFeedbackValue(record)}`)];
  if (parts.length === 0) return "-";
  const text = parts.join(" ");
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** The feedback section of `rightsize logs`: per metric its current values, mean, labels and sources. */
export function formatFeedbackSummary(summary: FeedbackSummary): string {
  const columns = [
    { header: "metric" },
    { header: "values", align: "right" as const },
    { header: "mean", align: "right" as const },
    { header: "labels" },
    { header: "sources" },
    { header: "demonstrations", align: "right" as const },
  ];
  const rows = summary.metrics.map((metric) => [
    metric.metric,
    formatCount(metric.count),
    metric.mean === null ? "-" : metric.mean.toFixed(2),
    Object.entries(metric.labels)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3)
      .map(([label, n]) => `${label} ${n}`)
      .join(", ") || "-",
    Object.entries(metric.bySource)
      .map(([source, n]) => `${source} ${n}`)
      .join(", "),
    formatCount(metric.demonstrations),
  ]);
  const superseded = summary.records - summary.current;
  return `\nFeedback: ${formatCount(summary.current)} current values${superseded > 0 ? ` (${formatCount(superseded)} superseded, kept as history)` : ""}\n${formatTable(columns, rows)}`;
}

/** The shadow-evaluation spend line: its own line, never part of the served cost above it. */
export function formatShadowSpend(summary: ShadowSummary): string {
  return (
    `\nShadow evaluation (not served, not in the costs above): ${formatCount(summary.judgments)} judgments ` +
    `(${formatCount(summary.byDirection.down)} down, ${formatCount(summary.byDirection.up)} up; ` +
    `${formatCount(summary.unparseable)} unparseable, ${formatCount(summary.failed)} failed), ` +
    `spend ${formatUsd(summary.costUsd)} = shadow ${formatUsd(summary.shadowCostUsd)} + judge ${formatUsd(summary.judgeCostUsd)}\n`
  );
}
