import { existsSync } from "node:fs";
import path from "node:path";
import { loadPriceFile, PriceFileError } from "../learning/outcomes/load-price-file.js";
import type { PriceTable } from "../pricing/price-table.js";
import { formatLoadReport, loadOutcomeData, OutcomeDataError, type OutcomeFilter } from "../learning/outcomes/load-outcome-data.js";
import type { OutcomeRow } from "../learning/outcomes/outcome-row.js";
import { CliError } from "./cli-error.js";

/** Loads outcome rows for a CLI command: bad lines and missing files become one-line CliErrors; the load summary goes to stderr. */
export async function loadOutcomeRowsForCli(
  file: string,
  filter: OutcomeFilter,
  models: readonly string[],
): Promise<{ rows: OutcomeRow[]; summary: string }> {
  try {
    const { rows, report } = await loadOutcomeData(file, { ...filter, requireModels: models });
    const summary = formatLoadReport(report);
    process.stderr.write(`${summary}\n`);
    return { rows, summary };
  } catch (error) {
    if (error instanceof OutcomeDataError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError(`--data ${file}: no such file`);
    if (code === "EISDIR") throw new CliError(`--data ${file}: is a directory`);
    throw error;
  }
}

/** Prices from --prices, else `prices.json` beside the data file; errors name file, line and field. */
export async function loadPricesForCli(
  flag: string | undefined,
  dataFile: string,
  models: readonly string[],
  fallback?: PriceTable,
): Promise<PriceTable> {
  const beside = path.join(path.dirname(dataFile), "prices.json");
  const file = flag ?? (fallback ? undefined : existsSync(beside) ? beside : undefined);
  if (!file) {
    if (fallback && fallback.missing(models).length === 0) return fallback;
    throw new CliError(`no prices for ${models.join(", ")}: pass --prices FILE (USD per 1M tokens per model)`);
  }
  try {
    return await loadPriceFile(file, models);
  } catch (error) {
    if (error instanceof PriceFileError) throw new CliError(`--prices ${error.message}`);
    throw error;
  }
}

/** "a,b , c" → ["a", "b", "c"] */
export function listFlag(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

/** An integer flag within bounds, or a CliError naming the flag. */
export function integerFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new CliError(`${flag}: expected an integer in [${min}, ${max}], got "${text}"`);
  return value;
}
