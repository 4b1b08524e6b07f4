export interface Column {
  header: string;
  align?: "left" | "right";
}

/** An aligned plain-text table: columns separated by two spaces, no trailing spaces. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) => Math.max(column.header.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? "";
        const width = widths[i] as number;
        return column.align === "right" ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...rows.map(line)].join("\n") + "\n";
}

/** USD with enough digits to show small per-request costs. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0";
  const abs = Math.abs(usd);
  return `$${usd.toFixed(abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6)}`;
}

export function formatMs(ms: number | null): string {
  return ms === null ? "-" : `${Math.round(ms)}ms`;
}

/** Epoch ms as `2026-11-27 10:00:00` (UTC). */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace("T", " ");
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
