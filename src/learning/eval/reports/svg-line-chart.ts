import { axes, escapeXml, shortLabel } from "./svg-parts.js";

export interface LineSeries {
  name: string;
  colour: string;
  points: [number, number][];
  dashed?: boolean;
}

export interface PointMarker {
  name: string;
  colour: string;
  x: number;
  y: number;
  shape: "circle" | "square" | "star" | "ring";
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  markers: PointMarker[];
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
}

/** An inline SVG chart of lines and point markers with a legend (no scripts, no external CSS). */
export function svgLineChart(chart: LineChart): string {
  const width = 800;
  const legendRows = chart.series.length + chart.markers.length;
  const height = Math.max(420, 60 + legendRows * 16);
  const area = { width, height, left: 60, right: 250, top: 30, bottom: 44 };
  const xs = [...chart.series.flatMap((s) => s.points.map((p) => p[0])), ...chart.markers.map((m) => m.x)].filter(Number.isFinite);
  const ys = [...chart.series.flatMap((s) => s.points.map((p) => p[1])), ...chart.markers.map((m) => m.y)].filter(Number.isFinite);
  const pad = (lo: number, hi: number): [number, number] => {
    const span = hi - lo || Math.abs(hi) || 1;
    return [lo - span * 0.04, hi + span * 0.04];
  };
  const [xMin, xMax] = pad(Math.min(...xs), Math.max(...xs));
  const [yMin, yMax] = pad(Math.min(...ys), Math.max(...ys));
  const { svg, sx, sy } = axes(
    area,
    { min: Math.max(0, xMin), max: xMax, label: chart.xLabel, ...(chart.xFormat ? { format: chart.xFormat } : {}) },
    { min: yMin, max: yMax, label: chart.yLabel, ...(chart.yFormat ? { format: chart.yFormat } : {}) },
  );
  const parts = [svg];
  for (const s of chart.series) {
    const d = s.points.map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ");
    parts.push(
      `<polyline points="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}><title>${escapeXml(s.name)}</title></polyline>`,
    );
  }
  for (const m of chart.markers) parts.push(marker(m, sx(m.x), sy(m.y)));
  const legendX = width - area.right + 14;
  let legendY = area.top + 6;
  for (const s of chart.series) {
    parts.push(
      `<line x1="${legendX}" y1="${legendY}" x2="${legendX + 22}" y2="${legendY}" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
    parts.push(`<text x="${legendX + 28}" y="${legendY + 4}" font-size="11">${escapeXml(shortLabel(s.name))}</text>`);
    legendY += 16;
  }
  for (const m of chart.markers) {
    parts.push(marker(m, legendX + 11, legendY));
    parts.push(`<text x="${legendX + 28}" y="${legendY + 4}" font-size="11">${escapeXml(shortLabel(m.name))}</text>`);
    legendY += 16;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}" font-family="sans-serif"><title>${escapeXml(chart.title)}</title>${parts.join("")}</svg>`;
}

function marker(m: PointMarker, x: number, y: number): string {
  const title = `<title>${escapeXml(m.name)}</title>`;
  const at = `${x.toFixed(1)}`;
  const bt = `${y.toFixed(1)}`;
  switch (m.shape) {
    case "circle":
      return `<circle cx="${at}" cy="${bt}" r="5" fill="${m.colour}">${title}</circle>`;
    case "ring":
      return `<circle cx="${at}" cy="${bt}" r="7" fill="none" stroke="${m.colour}" stroke-width="3">${title}</circle>`;
    case "square":
      return `<rect x="${(x - 5).toFixed(1)}" y="${(y - 5).toFixed(1)}" width="10" height="10" fill="${m.colour}">${title}</rect>`;
    case "star": {
      const points = Array.from({ length: 10 }, (_, k) => {
        const r = k % 2 === 0 ? 8 : 3.5;
        const a = (Math.PI / 5) * k - Math.PI / 2;
        return `${(x + r * Math.cos(a)).toFixed(1)},${(y + r * Math.sin(a)).toFixed(1)}`;
      });
      return `<polygon points="${points.join(" ")}" fill="${m.colour}">${title}</polygon>`;
    }
  }
}
