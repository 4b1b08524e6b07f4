import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { exportOutcomes } from "../../learning/export/export-outcomes.js";
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
