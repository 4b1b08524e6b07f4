import type { EvalReport, RouterEvaluation } from "../replay/eval-report.js";
import { formatNumber, formatShare } from "./format-figures.js";

const reach = (r: RouterEvaluation, reference: string): string =>
  r.costShareAtLargeQuality === null ? "never" : `${formatShare(r.costShareAtLargeQuality)} of ${reference}`;

/** The per-router metrics table: RouteLLM's APGR/CPT for pairs; AIQ and cost readings for pools. */
export function routerTable(report: EvalReport): { headers: string[]; rows: string[][] } {
  if (report.mode === "pair") {
    return {
      headers: [
        "router",
        "APGR pooled",
        "APGR pooled exact",
        "APGR per fold (mean ± sd)",
        "CPT(50%)",
        "CPT(80%)",
        "AIQ",
        "best quality",
        "cost for large quality",
        "train s",
      ],
      rows: report.routers.map((r) => [
        r.name,
        formatNumber(r.apgr),
        formatNumber(r.apgrExact),
        r.apgrFolds ? `${formatNumber(r.apgrFolds.mean)} ± ${formatNumber(r.apgrFolds.sd)}` : "n/a",
        formatShare(r.cpt50),
        formatShare(r.cpt80),
        formatNumber(r.aiq),
        formatNumber(r.bestQuality),
        reach(r, "large"),
        formatNumber(r.trainSeconds, 1),
      ]),
    };
  }
  return {
    headers: ["router", "AIQ", "best quality", "quality at ½ best-single cost", "cost for best-single quality", "train s"],
    rows: report.routers.map((r) => [
      r.name,
      formatNumber(r.aiq),
      formatNumber(r.bestQuality),
      formatNumber(r.qualityAtHalfLargeCost),
      reach(r, "best single"),
      formatNumber(r.trainSeconds, 1),
    ]),
  };
}
