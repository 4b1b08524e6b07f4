import { formatCalibrationTarget } from "../../calibration/calibration-target.js";
import type { CurvePoint } from "../metrics/curve-point.js";
import type { EvalReport } from "../replay/eval-report.js";
import { formatEstimate, formatNumber, formatPolicy, formatShare, formatUsd } from "./format-figures.js";
import { categoryChart, costQualityChart, largeCallsChart } from "./report-charts.js";
import { routerTable } from "./router-table.js";
import { escapeXml } from "./svg-parts.js";

const style = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:8px 0 20px}th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}.note{color:#666;font-size:13px}svg{max-width:100%;height:auto}`;

/** A self-contained HTML page (inline CSS and SVG, no scripts) for one evaluation. */
export function htmlReport(report: EvalReport): string {
  const e = escapeXml;
  const b = report.baselines;
  const table = (headers: string[], rows: string[][]): string =>
    `<table><thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join("")}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join("")}</tr>`)
      .join("")}</tbody></table>`;
  const point = (name: string, p: CurvePoint): string[] => [
    name,
    formatNumber(p.quality),
    formatUsd(p.costPer1k),
    formatShare(p.largeShare),
  ];
  const sections: string[] = [];
  sections.push(
    `<h1>rightsize eval</h1><p class="note">${e(report.data.loadSummary)}<br>${e(
      `${report.mode === "pair" ? `Pair: small ${report.small}, large ${report.large}` : `Pool of ${report.models.length} models: cheapest ${report.small}, best single model ${report.large}${report.mostExpensive ? `, most expensive model ${report.mostExpensive}` : ""}`}. ${report.folds}-fold cross-validation (seed ${report.seed}): every prediction comes from a router that did not train on that row. Cost: USD per 1,000 requests (tokens ≈ characters / 4). Created ${report.createdAt}.`,
    )}</p>`,
  );
  sections.push(`<h2>Cost and quality</h2>${costQualityChart(report)}`);
  if (report.mode === "pair") sections.push(`<h2>Quality by share of large-model calls (RouteLLM view)</h2>${largeCallsChart(report)}`);
  const routers = routerTable(report);
  sections.push(
    `<h2>Routers</h2>${table(routers.headers, routers.rows)}<p class="note">APGR and CPT as RouteLLM defines them (${
      report.curvePoints === "all" ? "every threshold" : `its ${report.curvePoints}-bin threshold sweep`
    }; "exact" uses every threshold); AIQ as RouterBench defines it, over costs ${formatUsd(report.costRange.min)}–${formatUsd(report.costRange.max)}. Random routing has APGR 0.5.</p>`,
  );
  sections.push(
    `<h2>Baselines</h2>${table(
      ["baseline", "quality", "cost/1k", report.mode === "pool" ? "best-single calls" : "large calls"],
      [
        point(report.mode === "pool" ? "cheapest model" : "always-small", b.alwaysSmall),
        point(report.mode === "pool" ? "best single model" : "always-large", b.alwaysLarge),
        point("oracle", b.oracle),
        ...(report.mode === "pool" ? Object.entries(b.perModel).map(([model, p]) => point(model, p)) : []),
      ],
    )}`,
  );
  const calibrated = report.routers.filter((r) => r.operatingPoint);
  if (calibrated.length > 0) {
    const target = formatCalibrationTarget(calibrated[0]!.operatingPoint!.target);
    sections.push(
      `<h2>Calibrated operating point (${e(target)})</h2>${table(
        [
          "router",
          "policy",
          "met (held-out half)",
          "quality (held-out half)",
          "cost/1k",
          report.mode === "pool" ? "best-single calls" : "large calls",
          report.mode === "pool" ? "of best-single quality" : "of large quality",
        ],
        calibrated.map((r) => {
          const op = r.operatingPoint!;
          return [
            r.name,
            formatPolicy(op.policy),
            op.met ? `yes${op.note ? `: ${op.note}` : ""}` : `no: ${op.note ?? ""}`,
            formatEstimate(op.heldOut.quality, (x) => formatNumber(x)),
            formatEstimate(op.heldOut.costPer1k, formatUsd),
            formatEstimate(op.heldOut.largeShare, formatShare),
            formatEstimate(op.heldOut.qualityVsLarge, formatShare),
          ];
        }),
      )}<p class="note">Chosen on a seeded half of the rows, measured on the other half; [bootstrap 95% interval].</p>`,
    );
  }
  sections.push(
    `<h2>Per category</h2>${categoryChart(report)}${categoryTable(report, table)}<p class="note">${
      report.mode === "pair" ? "APGR on each category's exact curve" : "AIQ over the report's cost range"
    }; quality and large calls of each router's calibrated policy on that category's rows.</p>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>rightsize eval: ${e(report.routers.map((r) => r.name).join(", "))}</title><style>${style}</style></head><body>${sections.join("\n")}</body></html>\n`;
}

function categoryTable(report: EvalReport, table: (headers: string[], rows: string[][]) => string): string {
  const names = report.routers.map((r) => r.name);
  const metric = report.mode === "pair" ? "APGR" : "AIQ";
  const headers = [
    "category",
    "rows",
    "small",
    "large",
    "oracle",
    ...names.flatMap((n) => [`${n} ${metric}`, `${n} quality`, `${n} large`]),
  ];
  const rows = report.categories.map((c) => [
    c.category,
    String(c.rows),
    formatNumber(c.small),
    formatNumber(c.large),
    formatNumber(c.oracle),
    ...names.flatMap((n) => {
      const r = c.routers[n];
      return [formatNumber(report.mode === "pair" ? r?.apgr : r?.aiq), formatNumber(r?.quality), formatShare(r?.largeShare)];
    }),
  ]);
  return table(headers, rows);
}
