import type { EvalReport } from "../replay/eval-report.js";
import { formatShare } from "./format-figures.js";
import { svgBarChart } from "./svg-bar-chart.js";
import { svgLineChart, type LineSeries, type PointMarker } from "./svg-line-chart.js";
import { seriesColour } from "./svg-parts.js";

function baselineMarkers(report: EvalReport, x: (p: { costPer1k: number; largeShare: number }) => number): PointMarker[] {
  const b = report.baselines;
  const markers: PointMarker[] = [
    {
      name: `${report.mode === "pool" ? "cheapest model" : "always-small"} (${report.small})`,
      colour: "#777",
      x: x(b.alwaysSmall),
      y: b.alwaysSmall.quality,
      shape: "square",
    },
    {
      name: `${report.mode === "pool" ? "best single model" : "always-large"} (${report.large})`,
      colour: "#222",
      x: x(b.alwaysLarge),
      y: b.alwaysLarge.quality,
      shape: "square",
    },
    { name: "oracle", colour: "#c00", x: x(b.oracle), y: b.oracle.quality, shape: "star" },
  ];
  report.routers.forEach((r, k) => {
    const op = r.operatingPoint;
    if (op) markers.push({ name: `${r.name} calibrated`, colour: seriesColour(k), x: x(op.all), y: op.all.quality, shape: "ring" });
  });
  return markers;
}

/** Every router's cost–quality curve on one chart, with the baselines and calibrated points. */
export function costQualityChart(report: EvalReport): string {
  const series: LineSeries[] = report.routers.map((r, k) => ({
    name: r.name,
    colour: seriesColour(k),
    points: r.curve.map((p) => [p.costPer1k, p.quality] as [number, number]),
  }));
  series.push({
    name: "random routing (expected)",
    colour: "#999",
    dashed: true,
    points: report.baselines.random.map((p) => [p.costPer1k, p.quality] as [number, number]),
  });
  const markers = baselineMarkers(report, (p) => p.costPer1k);
  if (report.mode === "pool") {
    for (const [model, p] of Object.entries(report.baselines.perModel)) {
      if (model !== report.small && model !== report.large)
        markers.push({ name: model, colour: "#bbb", x: p.costPer1k, y: p.quality, shape: "circle" });
    }
  }
  return svgLineChart({
    title: "Cost–quality curves",
    xLabel: "cost (USD per 1,000 requests)",
    yLabel: "quality (mean score)",
    series,
    markers,
  });
}

/** RouteLLM's view: quality against the share of calls to the large model. */
export function largeCallsChart(report: EvalReport): string {
  const series: LineSeries[] = report.routers.map((r, k) => ({
    name: r.name,
    colour: seriesColour(k),
    points: [...r.curve].sort((a, b) => a.largeShare - b.largeShare).map((p) => [p.largeShare, p.quality] as [number, number]),
  }));
  series.push({
    name: "random routing (expected)",
    colour: "#999",
    dashed: true,
    points: report.baselines.random.map((p) => [p.largeShare, p.quality] as [number, number]),
  });
  return svgLineChart({
    title: "Quality by share of large-model calls",
    xLabel: "calls to the large model",
    yLabel: "quality (mean score)",
    series,
    markers: baselineMarkers(report, (p) => p.largeShare),
    xFormat: (v) => formatShare(v),
  });
}

/** Per category: each router's APGR (pairs) or the quality of its calibrated policy (pools). */
export function categoryChart(report: EvalReport): string {
  const groups = report.categories.map((c) => c.category);
  if (report.mode === "pair") {
    return svgBarChart({
      title: "APGR per category",
      yLabel: "APGR",
      groups,
      series: report.routers.map((r, k) => ({
        name: r.name,
        colour: seriesColour(k),
        values: report.categories.map((c) => c.routers[r.name]?.apgr ?? null),
      })),
    });
  }
  return svgBarChart({
    title: "Quality per category at the calibrated point",
    yLabel: "quality",
    groups,
    series: [
      { name: `always-large (${report.large})`, colour: "#222", values: report.categories.map((c) => c.large) },
      ...report.routers.map((r, k) => ({
        name: r.name,
        colour: seriesColour(k),
        values: report.categories.map((c) => c.routers[r.name]?.quality ?? null),
      })),
    ],
  });
}
