import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadOutcomeData, type LoadOutcomeOptions } from "../../../src/learning/outcomes/load-outcome-data.js";
import type { OutcomeRow } from "../../../src/learning/outcomes/outcome-row.js";
import { sharedDir } from "../../support/shared-dir.js";

/** ../shared/data (RIGHTSIZE_SHARED overrides ../shared). */
export function sharedData(file: string): string {
  return path.join(sharedDir(), "data", file);
}

export const gpt4 = "gpt-4-1106-preview";
export const mixtral = "Mixtral-8x7B-Instruct-v0.1";

/** A small slice of the shared RouteLLM GSM8K rows. */
export async function gsm8kSlice(limit: number): Promise<OutcomeRow[]> {
  return (await loadOutcomeData(sharedData("routellm_outcomes.jsonl"), { categoryPrefixes: ["gsm8k"], limit })).rows;
}

export async function sharedSlice(file: string, options: LoadOutcomeOptions): Promise<OutcomeRow[]> {
  return (await loadOutcomeData(sharedData(file), options)).rows;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `rightsize-${prefix}-`));
}

/** Writes rows back as outcome JSONL. */
export function writeRows(file: string, rows: readonly OutcomeRow[]): void {
  writeFileSync(file, rows.map(({ extras, ...row }) => JSON.stringify({ ...row, ...extras })).join("\n") + "\n");
}
