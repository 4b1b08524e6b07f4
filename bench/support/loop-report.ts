import type { RoundFigures } from "../../test/support/learning-loop.js";

/**
 * The learning curve as a self-contained HTML page: large-model share and judged quality per
 * round (SVG, no scripts, no network), with the oracle share and always-large quality as
 * reference lines, and the table of figures.
 */
export function loopReport(rounds: readonly RoundFigures[], references: { oracleLargeShare: number; alwaysLargeQuality: number }): string {
  const width = 640;
  const height = 320;
  const pad = { left: 56, right: 24, top: 24, bottom: 44 };
  const x = (round: number) => pad.left + (round / Math.max(1, rounds.length - 1)) * (width - pad.left - pad.right);
  const y = (value: number) => pad.top + (1 - value) * (height - pad.top - pad.bottom);
  const line = (values: number[], colour: string, label: string) =>
    `<polyline fill="none" stroke="${colour}" stroke-width="2.5" points="${values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"/>` +
    values
      .map(
        (v, i) =>
          `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="4" fill="${colour}"><title>${label}, round ${i}: ${(v * 100).toFixed(1)}%</title></circle>`,
      )
      .join("");
  const reference = (value: number, colour: string, label: string) =>
    `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(value)}" y2="${y(value)}" stroke="${colour}" stroke-dasharray="6 4"/>` +
    `<text x="${width - pad.right}" y="${y(value) - 5}" text-anchor="end" font-size="11" fill="${colour}">${label}</text>`;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (v) =>
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${pad.left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v * 100}%</text>`,
    )
    .join("");
  const ticks = rounds
    .map((r, i) => `<text x="${x(i)}" y="${height - pad.bottom + 18}" text-anchor="middle" font-size="11">${r.round}</text>`)
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="learning curve">
${grid}${ticks}
<text x="${(width + pad.left - pad.right) / 2}" y="${height - 8}" text-anchor="middle" font-size="12">round (traffic → shadow and feedback → retrain → promote)</text>
${reference(references.oracleLargeShare, "#c0392b", `oracle large share ${(references.oracleLargeShare * 100).toFixed(0)}%`)}
${reference(0.95 * references.alwaysLargeQuality, "#2c7a3f", "95% of always-large quality")}
${line(
  rounds.map((r) => r.largeShare),
  "#c0392b",
  "large-model share",
)}
${line(
  rounds.map((r) => r.quality),
  "#2c7a3f",
  "judged quality",
)}
</svg>`;
  const rows = rounds
    .map(
      (r) =>
        `<tr><td>${r.round}</td><td>${r.requests}</td><td>${r.labelledRows || "–"}</td><td>${(r.largeShare * 100).toFixed(1)}%</td><td>${(r.quality * 100).toFixed(1)}%</td><td>${r.costPer1k.toFixed(3)}</td><td>${r.retrain ? (r.retrain.promoted ? `promoted ${r.retrain.version}` : `kept (${escapeHtml(r.retrain.verdict.reason)})`) : "–"}</td><td>${r.dropped}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rightsize learning loop</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}th{background:#f6f6f6}.legend span{margin-right:1.5rem}</style></head>
<body><h1>Learning loop: work moves to the small model</h1>
<p class="legend"><span style="color:#c0392b">● large-model share</span><span style="color:#2c7a3f">● judged quality</span></p>
${svg}
<table><thead><tr><th>round</th><th>requests</th><th>labelled rows</th><th>large share</th><th>judged quality</th><th>USD / 1k requests</th><th>retrain</th><th>dropped</th></tr></thead><tbody>
${rows}
</tbody></table>
<p>Oracle large share (family C only): ${(references.oracleLargeShare * 100).toFixed(1)}%. Always-large judged quality: ${(references.alwaysLargeQuality * 100).toFixed(1)}% (round 0 is the always-large router).</p>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
