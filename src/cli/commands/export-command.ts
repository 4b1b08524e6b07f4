import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { DISTILL_FORMATS, type DistillFormat } from "../../learning/export/distill-formats.js";
import { type ExportDistillSummary, exportDistill } from "../../learning/export/export-distill.js";
import { exportOutcomes } from "../../learning/export/export-outcomes.js";
import { createRedactor } from "../../storage/create-redactor.js";
import { PII_KINDS, type PiiKind } from "../../storage/pii-rules.js";
import { openRequestLogReader } from "../../storage/open-request-log-reader.js";
import { RequestLogOpenError } from "../../storage/request-log-open-error.js";
import type { RequestLogReader } from "../../storage/request-log-store.js";
import { CliError } from "../cli-error.js";
import { parseSince } from "../logs/parse-since.js";
import { resolveLogsSource } from "../logs/resolve-logs-source.js";
import { integerFlag, listFlag } from "../outcome-input.js";
import { createProgressBar } from "./progress-bar.js";

interface SourceOptions {
  config?: string;
  db?: string;
  since?: string;
}

interface DistillOptions extends SourceOptions {
  format: string;
  out: string;
  minScore: string;
  requireScore?: boolean;
  teacher?: string;
  metric?: string;
  validation: string;
  dedupThreshold: string;
  redact: string[];
  pii?: string | boolean;
}

interface OutcomesOptions extends SourceOptions {
  out: string;
  metric?: string;
  minModels: string;
}

/** `rightsize export outcomes|distill`: what the request log learned, as training data. */
export function registerExportCommand(program: Command): void {
  const exporter = program
    .command("export")
    .description("Export what the request log learned: outcome rows for routers, teacher data for fine-tuning.");
  const source = (command: Command) =>
    command
      .option("-c, --config <file>", "config file (its storage and redaction set)")
      .option("--db <file|url>", "request log file or postgres:// URL (default: the config's storage, else ./rightsize.db)")
      .option("--since <when>", "only requests since a duration ago (30m, 1h, 2d) or a UTC date (2026-11-27)");
  source(
    exporter
      .command("outcomes")
      .description(
        "Outcome rows (the ../shared/data format) from feedback and shadow judgments; `rightsize train --data` and `eval --data` read them.",
      )
      .requiredOption("-o, --out <file>", "JSONL file to write (- for stdout)")
      .option("--metric <names>", "only these feedback metrics score answers (comma-separated; default: every boolean or numeric metric)")
      .option("--min-models <n>", "rows need at least this many scored models", "1"),
  ).action(async (options: OutcomesOptions) => {
    const minModels = integerFlag("--min-models", options.minModels, 1, 1000);
    const { reader, db, since } = await openSource(options);
    try {
      const total = (await reader.costSummary(since === undefined ? {} : { since })).requests;
      const progress = createProgressBar(process.stderr);
      const out = await openOutput(options.out);
      const started = performance.now();
      const summary = await exportOutcomes(
        reader.exchanges({ ...(since === undefined ? {} : { since }), servedOnly: false }),
        (row) => out.write(`${JSON.stringify(row)}\n`),
        {
          minModels,
          ...(options.metric ? { metrics: listFlag(options.metric) } : {}),
          onProgress: (read) => {
            if (read % 1000 === 0 || read === total) progress.update(read, total, "requests read");
          },
        },
      );
      await out.close();
      progress.done();
      const evidence = Object.entries(summary.byEvidence)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(", ");
      const models = Object.entries(summary.byModel)
        .map(([model, n]) => `${model} ${n}`)
        .join(", ");
      const dropped = Object.entries(summary.dropped)
        .filter(([, n]) => n > 0)
        .map(([why, n]) => `${why} ${n}`)
        .join(", ");
      process.stderr.write(
        `exported ${summary.rows} outcome rows from ${summary.read} requests in ${db} to ${options.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
          `  scored answers by evidence: ${evidence || "none"}\n  rows per model: ${models || "none"}\n` +
          `  dropped: ${dropped || "none"}; unparseable judgments ${summary.unparseable}, label values ${summary.labelsIgnored} (no score)\n`,
      );
    } finally {
      await reader.close();
    }
  });
  registerDistill(exporter, source);
}

/** `rightsize export distill`: teacher data for fine-tuning the small model. */
function registerDistill(exporter: Command, source: (command: Command) => Command): void {
  source(
    exporter
      .command("distill")
      .description(
        "Teacher answers as fine-tuning data: demonstrations first, filtered by scores, redacted, deduplicated, split by episode.",
      )
      .requiredOption("--format <format>", `${DISTILL_FORMATS.join(" | ")}`)
      .requiredOption("-o, --out <dir>", "folder for train.jsonl, validation.jsonl and summary.json")
      .option("--teacher <models>", "only these models' answers teach (comma-separated; default: every model's)")
      .option("--min-score <s>", "drop a scored answer below this (feedback and judge scores, in [0, 1])", "0.5")
      .option("--require-score", "drop answers nothing scored (default: unscored teacher answers are kept)")
      .option("--metric <names>", "only these feedback metrics score answers (comma-separated)")
      .option("--validation <share>", "share of episodes in validation.jsonl", "0.1")
      .option(
        "--dedup-threshold <j>",
        "near-duplicate prompts: estimated Jaccard similarity (MinHash over 3-word shingles) at or above this",
        "0.8",
      )
      .option("--redact <regex>", "redact matches of this pattern too (repeatable; a leading (?i) = case-insensitive)", collect, [])
      .option("--pii [kinds]", "also redact personal data: every kind, or email,phone,card,iban"),
  ).action(async (options: DistillOptions) => {
    if (!(DISTILL_FORMATS as readonly string[]).includes(options.format)) {
      throw new CliError(`--format must be one of ${DISTILL_FORMATS.join(", ")}, got ${options.format}`);
    }
    const minScore = fractionFlag("--min-score", options.minScore);
    const validationShare = fractionFlag("--validation", options.validation);
    const threshold = fractionFlag("--dedup-threshold", options.dedupThreshold);
    if (threshold === 0) throw new CliError("--dedup-threshold must be above 0");
    const { reader, db, since, redact } = await openSource(options);
    try {
      const redactor = buildRedactor(redact, options);
      const total = (await reader.costSummary(since === undefined ? {} : { since })).requests;
      const dir = resolve(options.out);
      await mkdir(dir, { recursive: true });
      const files = { train: await openOutput(join(dir, "train.jsonl")), validation: await openOutput(join(dir, "validation.jsonl")) };
      const progress = createProgressBar(process.stderr);
      const started = performance.now();
      const summary = await exportDistill(
        reader.exchanges({ ...(since === undefined ? {} : { since }), servedOnly: false }),
        ({ split, example }) => files[split].write(`${JSON.stringify(example)}\n`),
        {
          format: options.format as DistillFormat,
          ...(options.teacher ? { teachers: listFlag(options.teacher) } : {}),
          ...(options.metric ? { metrics: listFlag(options.metric) } : {}),
          minScore,
          requireScore: options.requireScore === true,
          validationShare,
          dedup: { threshold },
          redact: redactor,
          onProgress: (read) => {
            if (read % 1000 === 0 || read === total) progress.update(read, total, "requests read");
          },
        },
      );
      await files.train.close();
      await files.validation.close();
      progress.done();
      const seconds = (performance.now() - started) / 1000;
      await writeFile(join(dir, "summary.json"), `${JSON.stringify({ db, ...summary, seconds: +seconds.toFixed(2) }, null, 2)}\n`);
      process.stderr.write(formatDistillSummary(summary, db, dir, seconds));
    } finally {
      await reader.close();
    }
  });
}

function formatDistillSummary(summary: ExportDistillSummary, db: string, dir: string, seconds: number): string {
  const dropped = Object.entries(summary.dropped)
    .sort((a, b) => b[1] - a[1])
    .map(([why, n]) => `    ${n}  ${why}`)
    .join("\n");
  return (
    `wrote ${summary.written.train} train + ${summary.written.validation} validation examples (${summary.format}) from ${summary.read} requests in ${db} to ${dir} in ${seconds.toFixed(1)} s\n` +
    `  tokens (≈ chars/4): train ${summary.tokens.train}, validation ${summary.tokens.validation}\n` +
    `  answers: ${summary.answers.demonstration} demonstrations, ${summary.answers.served} served, ${summary.answers.shadow} shadow; teachers: ${Array.isArray(summary.teachers) ? summary.teachers.join(", ") : summary.teachers}\n` +
    `  dropped:${dropped ? `\n${dropped}` : " none"}\n`
  );
}

/** The request log's redaction set (the config's storage.redact), extended by --redact and --pii. */
function buildRedactor(configured: OpenedSource["redact"], options: Pick<DistillOptions, "redact" | "pii">) {
  let pii: boolean | PiiKind[] = configured?.pii ?? false;
  if (options.pii === true) pii = true;
  else if (typeof options.pii === "string") {
    const kinds = listFlag(options.pii);
    for (const kind of kinds) {
      if (!(PII_KINDS as readonly string[]).includes(kind)) throw new CliError(`--pii: ${kind} is not one of ${PII_KINDS.join(", ")}`);
    }
    pii = [...new Set([...(Array.isArray(pii) ? pii : []), ...(kinds as PiiKind[])])];
  }
  try {
    return createRedactor({ extraPatterns: [...(configured?.extraPatterns ?? []), ...options.redact], pii });
  } catch (error) {
    throw new CliError(`--redact: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function fractionFlag(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new CliError(`${flag} must be a number in [0, 1], got ${text}`);
  return value;
}

export interface OpenedSource {
  reader: RequestLogReader;
  db: string;
  since: number | undefined;
  redact: Awaited<ReturnType<typeof resolveLogsSource>>["redact"];
}

export async function openSource(options: SourceOptions): Promise<OpenedSource> {
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const source = await resolveLogsSource(options);
  try {
    return { reader: await openRequestLogReader(source.location), db: source.db, since, redact: source.redact };
  } catch (error) {
    if (error instanceof RequestLogOpenError) throw new CliError(error.message);
    throw error;
  }
}

/** A line sink: a file (its folder made) or stdout; `write` waits when the stream is full (backpressure). */
export async function openOutput(
  target: string,
): Promise<{ write: (text: string) => Promise<void> | undefined; close: () => Promise<void> }> {
  if (target === "-") {
    return {
      write: (text) => (process.stdout.write(text) ? undefined : new Promise((done) => process.stdout.once("drain", () => done()))),
      close: async () => {},
    };
  }
  const file = resolve(target);
  await mkdir(dirname(file), { recursive: true });
  const stream: WriteStream = createWriteStream(file);
  await new Promise<void>((done, fail) => stream.once("open", () => done()).once("error", fail));
  return {
    write: (text) => (stream.write(text) ? undefined : new Promise((done) => stream.once("drain", () => done()))),
    close: () => new Promise((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done()))),
  };
}
