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
    `${report.mode === "pair" ? "pair" : `pool of ${report.models.length} models`}: small ${report.small}, large ${report.large}; ` +
      `${report.folds}-fold cross-validation, seed ${report.seed}; APGR/CPT on ${report.curvePoints === "all" ? "every threshold" : `RouteLLM's ${report.curvePoints}-bin threshold sweep`}; cost in USD per 1,000 requests`,
  );
  lines.push("");
  const baselineRows = [
    ["always-small", b.alwaysSmall],
    ["always-large", b.alwaysLarge],
    ["oracle", b.oracle],
  ] as const;
  lines.push(
    formatTable(
      ["baseline", "quality", "cost/1k", "large calls"],
      [
        ...baselineRows.map(([name, p]) => [name, formatNumber(p.quality), formatUsd(p.costPer1k), formatShare(p.largeShare)]),
        ["random (line)", "APGR 0.500", "", ""],
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
      `calibrated for ${formatCalibrationTarget(target)} on half the rows; figures on the other half with bootstrap 95% intervals:`,
    );
    lines.push(
      formatTable(
        ["router", "policy", "met", "quality", "cost/1k", "large calls", "of large quality"],
        calibrated.map((r) => {
          const op = r.operatingPoint!;
          return [
            r.name,
            formatPolicy(op.policy),
            op.met ? "yes" : `no (${op.note ?? ""})`,
            formatEstimate(op.heldOut.quality, (x) => formatNumber(x)),
            formatEstimate(op.heldOut.costPer1k, formatUsd),
            formatEstimate(op.heldOut.largeShare, formatShare),
            formatEstimate(op.heldOut.qualityVsLarge, formatShare),
          ];
        }),
      ),
    );
  }
  return lines.join("\n") + "\n";
}
