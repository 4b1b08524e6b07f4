import { axes, escapeXml, shortLabel } from "./svg-parts.js";

export interface BarSeries {
  name: string;
  colour: string;
  /** One value per group; null draws no bar. */
  values: (number | null)[];
}

/** Grouped vertical bars (one group per category) as inline SVG with a legend. */
export function svgBarChart(chart: { title: string; yLabel: string; groups: string[]; series: BarSeries[] }): string {
  const groupWidth = Math.max(40, chart.series.length * 12 + 14);
  const width = Math.max(520, 80 + chart.groups.length * groupWidth + 220);
  const height = 420;
  const area = { width, height, left: 60, right: 220, top: 24, bottom: 150 };
  const values = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const yMin = Math.min(0, ...values);
  const yMax = Math.max(1e-9, ...values) * 1.05;
  const { svg, sy } = axes(area, { min: 0, max: 1, label: "", hidden: true }, { min: yMin, max: yMax, label: chart.yLabel });
  const parts = [svg];
  const innerW = width - area.left - area.right;
  const slot = innerW / Math.max(1, chart.groups.length);
  const barW = Math.min(28, Math.max(3, (slot - 10) / Math.max(1, chart.series.length)));
  chart.groups.forEach((group, g) => {
    const x0 = area.left + g * slot + (slot - barW * chart.series.length) / 2;
    chart.series.forEach((s, k) => {
      const v = s.values[g];
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const top = sy(Math.max(0, v));
      const bottom = sy(Math.min(0, v));
      parts.push(
        `<rect x="${(x0 + k * barW).toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${Math.max(0.5, bottom - top).toFixed(1)}" fill="${s.colour}"><title>${escapeXml(`${s.name} · ${group}: ${v.toFixed(3)}`)}</title></rect>`,
      );
    });
    const cx = area.left + g * slot + slot / 2 - 4;
    const cy = height - area.bottom + 10;
    parts.push(
      `<text transform="translate(${cx.toFixed(1)} ${cy}) rotate(40)" font-size="10">${escapeXml(group.length > 28 ? `${group.slice(0, 27)}…` : group)}</text>`,
    );
  });
  let legendY = area.top + 6;
  for (const s of chart.series) {
    parts.push(`<rect x="${width - area.right + 14}" y="${legendY - 6}" width="12" height="10" fill="${s.colour}"/>`);
    parts.push(`<text x="${width - area.right + 32}" y="${legendY + 3}" font-size="11">${escapeXml(shortLabel(s.name, 30))}</text>`);
    legendY += 16;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}" font-family="sans-serif"><title>${escapeXml(chart.title)}</title>${parts.join("")}</svg>`;
}
