import { readFile } from "node:fs/promises";
import { PriceTable } from "../../pricing/price-table.js";

/** A bad price file: names the file, the line and the field. */
export class PriceFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PriceFileError";
  }
}

/**
 * Reads a price table (`{ "model": { "input": USD/1M, "output": USD/1M }, "_about": … }`) and
 * checks that every model asked for has two non-negative prices. Keys starting with "_" are notes.
 */
export async function loadPriceFile(file: string, models: readonly string[]): Promise<PriceTable> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PriceFileError(code === "ENOENT" ? `${file}: no such file` : `${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? lineOf(text, Number(position[1])) : 1;
    throw new PriceFileError(`${file}:${line}: (json): not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new PriceFileError(`${file}:1: (file): expected an object of model → { input, output }`);
  const record = raw as Record<string, unknown>;
  const prices: PriceTable["models"] = [];
  const missing = models.filter((model) => record[model] === undefined);
  if (missing.length === 1) throw new PriceFileError(`${file}: ${missing[0]}: no price for this model`);
  if (missing.length > 1) throw new PriceFileError(`${file}: no price for ${missing.length} models: ${missing.join(", ")}`);
  for (const model of models) {
    const at = `${file}:${keyLine(text, model)}`;
    const entry = record[model];
    if (typeof entry !== "object" || entry === null)
      throw new PriceFileError(`${at}: ${model}: expected { "input": number, "output": number }`);
    const price = entry as Record<string, unknown>;
    for (const field of ["input", "output"] as const) {
      const value = price[field];
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new PriceFileError(
          `${at}: ${model}.${field}: expected a non-negative number (USD per 1M tokens), got ${JSON.stringify(value)}`,
        );
      }
    }
    prices.push({ id: model, price: { input: price.input as number, output: price.output as number } });
  }
  return new PriceTable(prices);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** 1-based line of a top-level key's first occurrence (1 if not found). */
function keyLine(text: string, key: string): number {
  const index = text.indexOf(JSON.stringify(key));
  return index < 0 ? 1 : lineOf(text, index);
}
