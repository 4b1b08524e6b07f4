import type { ShadowSummary } from "../../storage/shadow-record.js";
import { formatCount, formatUsd } from "./format-table.js";

/** The shadow-evaluation line of `rightsize logs`: its judgments and its own spend, apart from served cost. */
export function formatShadowSummary(summary: ShadowSummary): string {
  if (summary.judgments === 0) return "";
  const { judgments, unparseable, failed, byDirection } = summary;
  return (
    `\nShadow evaluation (not served, not in the cost above): ${formatCount(judgments)} judgments ` +
    `(${formatCount(byDirection.down)} down, ${formatCount(byDirection.up)} up; ${formatCount(unparseable)} unparseable, ${formatCount(failed)} failed), ` +
    `spent ${formatUsd(summary.costUsd)} (shadow answers ${formatUsd(summary.shadowCostUsd)}, judge ${formatUsd(summary.judgeCostUsd)}).\n`
  );
}
