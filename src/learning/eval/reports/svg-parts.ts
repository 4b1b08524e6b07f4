/** Escapes text for HTML and SVG. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A fixed palette (colour-blind friendly, Okabe–Ito), cycled. */
const palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
export function seriesColour(index: number): string {
  return palette[index % palette.length]!;
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function formatTick(value: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 1) return Number(value.toFixed(2)).toString();
  return Number(value.toPrecision(3)).toString();
}

export interface PlotArea {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Axes, grid and labels of a plot; returns the SVG and the value → pixel maps. */
export function axes(
  area: PlotArea,
  x: { min: number; max: number; label: string; format?: (v: number) => string; hidden?: boolean },
  y: { min: number; max: number; label: string; format?: (v: number) => string },
) {
  const innerW = area.width - area.left - area.right;
  const innerH = area.height - area.top - area.bottom;
  const sx = (v: number): number => area.left + ((v - x.min) / (x.max - x.min || 1)) * innerW;
  const sy = (v: number): number => area.top + innerH - ((v - y.min) / (y.max - y.min || 1)) * innerH;
  const fx = x.format ?? formatTick;
  const fy = y.format ?? formatTick;
  const parts: string[] = [];
  for (const t of x.hidden ? [] : niceTicks(x.min, x.max, 6)) {
    parts.push(`<line x1="${sx(t).toFixed(1)}" y1="${area.top}" x2="${sx(t).toFixed(1)}" y2="${area.top + innerH}" stroke="#e5e5e5"/>`);
    parts.push(
      `<text x="${sx(t).toFixed(1)}" y="${area.top + innerH + 16}" text-anchor="middle" font-size="11">${escapeXml(fx(t))}</text>`,
    );
  }
  for (const t of niceTicks(y.min, y.max, 5)) {
    parts.push(`<line x1="${area.left}" y1="${sy(t).toFixed(1)}" x2="${area.left + innerW}" y2="${sy(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${area.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" font-size="11">${escapeXml(fy(t))}</text>`);
  }
  parts.push(`<rect x="${area.left}" y="${area.top}" width="${innerW}" height="${innerH}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${area.left + innerW / 2}" y="${area.height - 6}" text-anchor="middle" font-size="12">${escapeXml(x.label)}</text>`);
  parts.push(
    `<text transform="translate(14 ${area.top + innerH / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(y.label)}</text>`,
  );
  return { svg: parts.join(""), sx, sy };
}

/** Legend labels fit the legend column (the full name stays in the element's title). */
export function shortLabel(name: string, max = 36): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}
