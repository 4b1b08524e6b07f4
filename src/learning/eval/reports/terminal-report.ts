import { formatCalibrationTarget } from "../../calibration/calibration-target.js";
import type { EvalReport } from "../replay/eval-report.js";
import { formatEstimate, formatNumber, formatPolicy, formatShare, formatTable, formatUsd } from "./format-figures.js";
import { routerTable } from "./router-table.js";

/** The evaluation as text tables for a terminal. */
export function terminalReport(report: EvalReport): string {
  const b = report.baselines;
  const lines: string[] = [];
  lines.push(`${report.data.loadSummary}`);
  lines.push(
    `${report.mode === "pair" ? `pair: small ${report.small}, large ${report.large}` : `pool of ${report.models.length} models: cheapest ${report.small}, best single model ${report.large}${report.mostExpensive ? `, most expensive model ${report.mostExpensive}` : ""}`}; ` +
      `${report.folds}-fold cross-validation, seed ${report.seed}; APGR/CPT on ${report.curvePoints === "all" ? "every threshold" : `RouteLLM's ${report.curvePoints}-bin threshold sweep`}; cost in USD per 1,000 requests`,
  );
  lines.push("");
  const pool = report.mode === "pool";
  const mostExpensive = pool && report.mostExpensive ? b.perModel[report.mostExpensive] : undefined;
  const baselineRows = [
    [pool ? `cheapest model (${report.small})` : "always-small", b.alwaysSmall],
    [pool ? `best single model (${report.large})` : "always-large", b.alwaysLarge],
    ...(mostExpensive && report.mostExpensive !== report.large
      ? [[`most expensive model (${report.mostExpensive})`, mostExpensive] as const]
      : []),
    ["oracle", b.oracle],
  ] as const;
  lines.push(
    formatTable(
      ["baseline", "quality", "cost/1k", pool ? "best-single calls" : "large calls"],
      [
        ...baselineRows.map(([name, p]) => [name, formatNumber(p.quality), formatUsd(p.costPer1k), formatShare(p.largeShare)]),
        ...(pool ? [] : [["random (line)", "APGR 0.500", "", ""]]),
        ...(report.mode === "pool"
          ? Object.entries(b.perModel)
              .sort((x, y) => x[1].costPer1k - y[1].costPer1k)
              .map(([model, p]) => [model, formatNumber(p.quality), formatUsd(p.costPer1k), formatShare(p.largeShare)])
          : []),
      ],
    ),
  );
  lines.push("");
  const routers = routerTable(report);
  lines.push(formatTable(routers.headers, routers.rows));
  const calibrated = report.routers.filter((r) => r.operatingPoint);
  if (calibrated.length > 0) {
    const target = calibrated[0]!.operatingPoint!.target;
    lines.push("");
    lines.push(
      `calibrated for ${formatCalibrationTarget(target)} on half the rows; figures on the other (held-out) half with bootstrap 95% intervals, "met" judged on that half:`,
    );
    lines.push(
      formatTable(
        [
          "router",
          "policy",
          "met (held out)",
          "quality",
          "cost/1k",
          pool ? "best-single calls" : "large calls",
          pool ? "of best-single quality" : "of large quality",
        ],
        calibrated.map((r) => {
          const op = r.operatingPoint!;
          return [
            r.name,
            formatPolicy(op.policy),
            op.met ? "yes" : `no${op.metOnCalibration ? " (met on the calibration half)" : ""}`,
            formatEstimate(op.heldOut.quality, (x) => formatNumber(x)),
            formatEstimate(op.heldOut.costPer1k, formatUsd),
            formatEstimate(op.heldOut.largeShare, formatShare),
            formatEstimate(op.heldOut.qualityVsLarge, formatShare),
          ];
        }),
      ),
    );
  }
  const notes = calibrated.filter((r) => r.operatingPoint?.note).map((r) => `${r.name}: ${r.operatingPoint!.note}`);
  if (notes.length) lines.push("", ...notes);
  if (report.mode === "pair")
    lines.push("", "APGR pooled: one curve over all held-out predictions; per fold: each fold's own curve, mean ± sd over folds.");
  return lines.join("\n") + "\n";
}
