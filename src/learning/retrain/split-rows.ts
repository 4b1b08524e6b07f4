import { createHash } from "node:crypto";

/** Which part of the data a row belongs to. */
export type RowPart = "train" | "calibration" | "holdout";

/**
 * A deterministic split by row id (and seed): the same row always lands in the same part, so a
 * retrain next week holds out the rows it held out this week plus new ones, and rows of one
 * episode (ids that share `groupOf`) stay together.
 */
export function splitRows<T extends { id: string }>(
  rows: readonly T[],
  options: { seed: number; holdout: number; calibration: number; groupOf?: (row: T) => string },
): Record<RowPart, T[]> {
  const parts: Record<RowPart, T[]> = { train: [], calibration: [], holdout: [] };
  for (const row of rows) {
    const key = options.groupOf?.(row) ?? row.id;
    const u = createHash("sha256").update(`${options.seed}\u0000${key}`).digest().readUInt32BE(0) / 2 ** 32;
    const part: RowPart = u < options.holdout ? "holdout" : u < options.holdout + options.calibration ? "calibration" : "train";
    parts[part].push(row);
  }
  return parts;
}
