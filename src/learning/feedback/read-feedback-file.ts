import { readFile } from "node:fs/promises";
import type { FeedbackSource } from "../../storage/feedback-record.js";
import { CsvSyntaxError, parseCsv } from "./parse-csv.js";
import { type FeedbackInput, parseFeedbackInput } from "./parse-feedback-input.js";

/** A feedback line of an import file. */
export interface FeedbackLine {
  line: number;
  input: FeedbackInput;
}

/** Problems of an import file, each `file:line: field: message`; nothing of it was imported. */
export class FeedbackFileError extends Error {
  constructor(readonly problems: string[]) {
    const shown = problems.slice(0, 10);
    const more = problems.length > shown.length ? `\n… and ${problems.length - shown.length} more` : "";
    super(`${shown.join("\n")}${more}`);
    this.name = "FeedbackFileError";
  }
}

const CSV_COLUMNS = ["request_id", "episode_id", "metric", "value", "comment", "demonstration", "source"];

/**
 * Reads a feedback file whole and checks every line before anything is stored: JSON Lines (one
 * `POST /v1/feedback` body per line) or CSV (`.csv`, a header row naming the same fields; a value
 * `true`/`false` is a boolean, a number is a number, anything else a label). Throws
 * `FeedbackFileError` listing every bad line.
 */
export async function readFeedbackFile(file: string, defaultSource: FeedbackSource): Promise<FeedbackLine[]> {
  const text = await readFile(file, "utf8");
  const isCsv = /\.csv$/i.test(file) || (!/\.jsonl?$/i.test(file) && !text.trimStart().startsWith("{"));
  const bodies = isCsv ? csvBodies(file, text) : jsonBodies(file, text);
  const problems: string[] = [...bodies.problems];
  const lines: FeedbackLine[] = [];
  for (const { line, body } of bodies.rows) {
    const parsed = parseFeedbackInput(body, defaultSource);
    if (parsed.ok) lines.push({ line, input: parsed.input });
    else problems.push(`${file}:${line}: ${parsed.problem.field}: ${parsed.problem.message}`);
  }
  if (problems.length === 0 && lines.length === 0) problems.push(`${file}: no feedback records in the file`);
  if (problems.length > 0) throw new FeedbackFileError(problems);
  return lines;
}

interface Bodies {
  rows: { line: number; body: unknown }[];
  problems: string[];
}

function jsonBodies(file: string, text: string): Bodies {
  const out: Bodies = { rows: [], problems: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === "") return;
    try {
      out.rows.push({ line: index + 1, body: JSON.parse(raw) });
    } catch (error) {
      out.problems.push(`${file}:${index + 1}: (line): not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return out;
}

function csvBodies(file: string, text: string): Bodies {
  const out: Bodies = { rows: [], problems: [] };
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      out.problems.push(`${file}:${error.line}: (line): ${error.message}`);
      return out;
    }
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) return out;
  const columns = header.cells.map((cell) => cell.trim());
  for (const column of columns) {
    if (!CSV_COLUMNS.includes(column)) {
      out.problems.push(`${file}:${header.line}: ${column || "(empty)"}: not a feedback column (use ${CSV_COLUMNS.join(", ")})`);
    }
  }
  if (out.problems.length > 0) return out;
  for (const row of rows) {
    if (row.cells.length !== columns.length) {
      out.problems.push(`${file}:${row.line}: (line): ${row.cells.length} cells, the header has ${columns.length}`);
      continue;
    }
    const body: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const cell = row.cells[i] as string;
      if (cell === "") return;
      body[column] = column === "value" ? csvValue(cell) : cell;
    });
    out.rows.push({ line: row.line, body });
  }
  return out;
}

/** A CSV value cell: true/false, a number, or a label. */
function csvValue(cell: string): unknown {
  const trimmed = cell.trim();
  if (/^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === "true";
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return Number(trimmed);
  return cell;
}
