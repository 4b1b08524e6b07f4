import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { OutcomeRow } from "./outcome-row.js";
import { issueFieldPath, outcomeLineSchema } from "./outcome-row-schema.js";

/** Which rows to keep. Every row left out is counted in the report, by reason. */
export interface OutcomeFilter {
  /** Drop rows with `contaminated: true` (RouteLLM's contamination list). */
  dropContaminated?: boolean;
  /** Drop rows with `version_conflict: true` (MMLU-Pro items whose text differed). */
  dropVersionConflict?: boolean;
  /** Keep rows whose category starts with one of these (`gsm8k`, `mmlu/`, `mt_bench`). */
  categoryPrefixes?: readonly string[];
  /** Keep only rows that have an outcome for every one of these models. */
  requireModels?: readonly string[];
}

export interface LoadOutcomeOptions extends OutcomeFilter {
  /** "throw" (default): the first invalid line throws an OutcomeDataError. "skip": invalid lines are counted and listed in the report. */
  onInvalid?: "throw" | "skip";
  /** Stop after this many kept rows (for small slices). */
  limit?: number;
}

export interface InvalidLine {
  line: number;
  field: string;
  message: string;
}

export interface OutcomeLoadReport {
  file: string;
  /** Lines read (blank lines included). */
  lines: number;
  blankLines: number;
  /** Rows kept. */
  rows: number;
  invalid: InvalidLine[];
  skipped: {
    contaminated: number;
    versionConflict: number;
    category: number;
    /** Rows lacking a required model, per missing model (a row may count under several). */
    missingModel: Record<string, number>;
    /** Rows lacking at least one required model. */
    missingModels: number;
  };
  /** Outcomes without `output_chars` (filled with 0) among the kept rows and the required models (all models when none are required). */
  missingOutputChars: number;
}

/** A bad line: names the file, the 1-based line number and the field. */
export class OutcomeDataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}:${line}: ${field}: ${detail}`);
    this.name = "OutcomeDataError";
  }
}

function emptyReport(file: string): OutcomeLoadReport {
  return {
    file,
    lines: 0,
    blankLines: 0,
    rows: 0,
    invalid: [],
    skipped: { contaminated: 0, versionConflict: 0, category: 0, missingModel: {}, missingModels: 0 },
    missingOutputChars: 0,
  };
}

type Parsed = { row: OutcomeRow; missingOutputChars: string[] } | InvalidLine;

function parseLine(text: string, line: number): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { line, field: "(json)", message: `not valid JSON (${(error as Error).message})` };
  }
  const result = outcomeLineSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { line, field: issueFieldPath(issue?.path ?? []), message: issue?.message ?? "invalid" };
  }
  const { id, prompt, category, source, outcomes, ...extras } = result.data;
  const missingOutputChars: string[] = [];
  const out: OutcomeRow["outcomes"] = {};
  for (const [model, outcome] of Object.entries(outcomes)) {
    if (outcome.output_chars === undefined) missingOutputChars.push(model);
    out[model] = { ...outcome, output_chars: outcome.output_chars ?? 0 };
  }
  const row: OutcomeRow = { id, prompt, category, outcomes: out, extras };
  if (source !== undefined) row.source = source;
  return { row, missingOutputChars };
}

/** True when a valid row is filtered out; counts the reason in the report. */
function shouldSkip(row: OutcomeRow, filter: OutcomeFilter, report: OutcomeLoadReport): boolean {
  if (filter.dropContaminated && row.extras.contaminated === true) return ++report.skipped.contaminated > 0;
  if (filter.dropVersionConflict && row.extras.version_conflict === true) return ++report.skipped.versionConflict > 0;
  if (filter.categoryPrefixes && filter.categoryPrefixes.length > 0) {
    if (!filter.categoryPrefixes.some((prefix) => row.category.startsWith(prefix))) return ++report.skipped.category > 0;
  }
  if (filter.requireModels) {
    const missing = filter.requireModels.filter((model) => row.outcomes[model] === undefined);
    if (missing.length > 0) {
      for (const model of missing) report.skipped.missingModel[model] = (report.skipped.missingModel[model] ?? 0) + 1;
      return ++report.skipped.missingModels > 0;
    }
  }
  return false;
}

/**
 * Streams the rows of an outcome JSONL file, validating every line. `report` is filled as
 * the stream advances and is complete when the iteration ends.
 */
export async function* streamOutcomeRows(
  file: string,
  options: LoadOutcomeOptions = {},
  report: OutcomeLoadReport = emptyReport(file),
): AsyncGenerator<OutcomeRow> {
  const input = createReadStream(file, { encoding: "utf8" });
  const reader = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const raw of reader) {
      report.lines++;
      const text = report.lines === 1 ? raw.replace(/^\uFEFF/, "") : raw;
      if (text.trim() === "") {
        report.blankLines++;
        continue;
      }
      const parsed = parseLine(text, report.lines);
      if ("field" in parsed) {
        if (options.onInvalid !== "skip") throw new OutcomeDataError(file, parsed.line, parsed.field, parsed.message);
        report.invalid.push(parsed);
        continue;
      }
      if (shouldSkip(parsed.row, options, report)) continue;
      // Only outcomes that are used count: kept rows, and the requested models when some are named.
      const required = options.requireModels;
      report.missingOutputChars += required
        ? parsed.missingOutputChars.filter((model) => required.includes(model)).length
        : parsed.missingOutputChars.length;
      report.rows++;
      yield parsed.row;
      if (options.limit !== undefined && report.rows >= options.limit) break;
    }
  } finally {
    reader.close();
    input.destroy();
  }
}

/** Loads and validates a whole outcome file; see `streamOutcomeRows`. */
export async function loadOutcomeData(
  file: string,
  options: LoadOutcomeOptions = {},
): Promise<{ rows: OutcomeRow[]; report: OutcomeLoadReport }> {
  const report = emptyReport(file);
  const rows: OutcomeRow[] = [];
  for await (const row of streamOutcomeRows(file, options, report)) rows.push(row);
  return { rows, report };
}

/** One paragraph for a person: what was read, kept and skipped, and why. */
export function formatLoadReport(report: OutcomeLoadReport): string {
  const parts = [`${report.file}: ${report.rows} rows kept of ${report.lines - report.blankLines} lines`];
  const s = report.skipped;
  if (s.contaminated) parts.push(`${s.contaminated} contaminated dropped`);
  if (s.versionConflict) parts.push(`${s.versionConflict} version_conflict dropped`);
  if (s.category) parts.push(`${s.category} outside the categories`);
  if (s.missingModels) {
    const which = Object.entries(s.missingModel)
      .map(([model, n]) => `${model}: ${n}`)
      .join(", ");
    parts.push(`${s.missingModels} lacking a requested model (${which})`);
  }
  if (report.invalid.length) {
    const first = report.invalid.slice(0, 3).map((bad) => `line ${bad.line} ${bad.field}: ${bad.message}`);
    parts.push(`${report.invalid.length} invalid lines skipped (${first.join("; ")})`);
  }
  if (report.missingOutputChars) parts.push(`${report.missingOutputChars} outcomes without output_chars (taken as 0)`);
  return parts.join("; ");
}

/** SHA-256 (hex) of a file's bytes, streamed. */
export async function dataSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
