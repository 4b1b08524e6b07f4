import type { CounterfactualCost } from "../../pricing/counterfactual-cost.js";
import type { CostSummary, RequestLogRecord } from "../../storage/request-log-store.js";
import { formatCount, formatMs, formatTable, formatTime, formatUsd } from "./format-table.js";

/** The recent-requests table of `rightsize logs`; a feedback column when any shown request has feedback (`feedback` by request id). */
export function formatRequestTable(records: readonly RequestLogRecord[], feedback?: ReadonlyMap<string, string>): string {
  const columns = [
    { header: "time (UTC)" },
    { header: "id" },
    { header: "caller" },
    { header: "router" },
    { header: "model" },
    { header: "score", align: "right" as const },
    { header: "attempts", align: "right" as const },
    { header: "status", align: "right" as const },
    { header: "tokens in+out", align: "right" as const },
    { header: "cost", align: "right" as const },
    { header: "ttft", align: "right" as const },
    { header: "latency", align: "right" as const },
  ];
  const withFeedback = feedback !== undefined && [...feedback.values()].some((text) => text !== "-");
  if (withFeedback) columns.push({ header: "feedback" });
  const rows = records.map((r) => [
    formatTime(r.time),
    r.id,
    r.callerId ?? "-",
    r.router ?? "-",
    r.model ?? "-",
    r.score === null ? "-" : r.score.toFixed(2),
    String(r.attempts.length),
    String(r.status),
    `${r.usageEstimated ? "~" : ""}${r.promptTokens}+${r.completionTokens}`,
    formatUsd(r.costUsd),
    formatMs(r.ttftMs),
    formatMs(r.latencyMs),
    ...(withFeedback ? [feedback.get(r.id) ?? "-"] : []),
  ]);
  return formatTable(columns, rows);
}

/** The cost summary: by model, the total, and the comparison with the most expensive model. */
export function formatCostSummary(summary: CostSummary, counterfactual: CounterfactualCost | undefined): string {
  const columns = [
    { header: "model" },
    { header: "served", align: "right" as const },
    { header: "attempts", align: "right" as const },
    { header: "prompt tokens", align: "right" as const },
    { header: "completion tokens", align: "right" as const },
    { header: "cost", align: "right" as const },
  ];
  let attempts = 0;
  const rows = summary.byModel.map((row) => {
    attempts += row.attempts;
    return [
      row.model,
      formatCount(row.requests),
      formatCount(row.attempts),
      formatCount(row.promptTokens),
      formatCount(row.completionTokens),
      formatUsd(row.costUsd),
    ];
  });
  rows.push([
    "total",
    formatCount(summary.requests),
    formatCount(attempts),
    formatCount(summary.promptTokens),
    formatCount(summary.completionTokens),
    formatUsd(summary.costUsd),
  ]);
  let text = `Cost by model (each attempt charged to the model that made it; served = requests it answered)\n${formatTable(columns, rows)}`;
  if (summary.byKey.some((row) => row.key !== "(none)")) {
    const keyColumns = [
      { header: "key" },
      { header: "requests", align: "right" as const },
      { header: "prompt tokens", align: "right" as const },
      { header: "completion tokens", align: "right" as const },
      { header: "cost", align: "right" as const },
    ];
    const keyRows = summary.byKey.map((row) => [
      row.key,
      formatCount(row.requests),
      formatCount(row.promptTokens),
      formatCount(row.completionTokens),
      formatUsd(row.costUsd),
    ]);
    text += `\nCost by client key (each request once, over all its attempts)\n${formatTable(keyColumns, keyRows)}`;
  }
  if (!counterfactual) {
    text += "\nNo model prices known: pass --config or --prices to compare with the most expensive model.\n";
  } else {
    const { reference, counterfactualUsd, savingsUsd, savingsPct } = counterfactual;
    const price = `$${reference.price.input} in / $${reference.price.output} out per 1M tokens`;
    text +=
      `\nOn ${reference.id}, the most expensive configured model (${price}), the same traffic would have cost ` +
      `${formatUsd(counterfactualUsd)}: ${savingsUsd >= 0 ? "saved" : "overspent"} ${formatUsd(Math.abs(savingsUsd))} ` +
      `(${Math.abs(savingsPct).toFixed(1)}%).\n`;
  }
  return text;
}
