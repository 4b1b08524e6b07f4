import type { Command } from "commander";
import { findFeedbackTarget } from "../../learning/feedback/find-feedback-target.js";
import { feedbackRecordOf } from "../../learning/feedback/parse-feedback-input.js";
import { FeedbackFileError, readFeedbackFile } from "../../learning/feedback/read-feedback-file.js";
import { FEEDBACK_SOURCES, type FeedbackSource } from "../../storage/feedback-record.js";
import { CliError } from "../cli-error.js";
import { resolveLogsSource } from "../logs/resolve-logs-source.js";
import { openWritableRequestLog } from "../open-writable-request-log.js";

interface ImportOptions {
  config?: string;
  db?: string;
  source: string;
}

/** `rightsize feedback import FILE`: feedback in batches, all of a file or nothing. */
export function registerFeedbackCommand(program: Command): void {
  const feedback = program.command("feedback").description("Feedback on logged requests (what exports learn from).");
  feedback
    .command("import")
    .description("Import feedback from a JSON Lines or CSV file: every line is checked first, then all are stored together, or none.")
    .argument(
      "<file>",
      "JSONL (one POST /v1/feedback body per line) or CSV (header: request_id,episode_id,metric,value,comment,demonstration,source)",
    )
    .option("-c, --config <file>", "config file (its storage)")
    .option("--db <file|url>", "request log file or postgres:// URL (default: the config's storage, else ./rightsize.db)")
    .option("--source <who>", `who judged, for lines without a source (${FEEDBACK_SOURCES.join(", ")})`, "reviewer")
    .action(async (file: string, options: ImportOptions) => {
      if (!(FEEDBACK_SOURCES as readonly string[]).includes(options.source)) {
        throw new CliError(`--source must be one of ${FEEDBACK_SOURCES.join(", ")}, got ${options.source}`);
      }
      const lines = await readLines(file, options.source as FeedbackSource);
      const source = await resolveLogsSource(options);
      const store = await openWritableRequestLog(source.location, source.redact);
      try {
        const missing: string[] = [];
        const checked = new Map<string, boolean>();
        for (const { line, input } of lines) {
          const key = input.requestId !== null ? `r:${input.requestId}` : `e:${input.episodeId}`;
          let found = checked.get(key);
          if (found === undefined) {
            found = await findFeedbackTarget(store, input);
            checked.set(key, found);
          }
          if (!found) {
            const [field, what] =
              input.requestId !== null ? ["request_id", `request ${input.requestId}`] : ["episode_id", `episode ${input.episodeId}`];
            missing.push(`${file}:${line}: ${field}: no ${what} in ${source.db}`);
          }
        }
        if (missing.length > 0) throw new CliError(`${new FeedbackFileError(missing).message}\nnothing was imported`);
        const now = Date.now();
        const records = lines.map(({ input }) => feedbackRecordOf(input, null, now));
        await store.appendFeedback(records);
        const requests = new Set(records.flatMap((r) => (r.requestId ? [r.requestId] : []))).size;
        const episodes = new Set(records.flatMap((r) => (r.episodeId ? [r.episodeId] : []))).size;
        process.stdout.write(
          `imported ${records.length} feedback records (${requests} requests, ${episodes} episodes) into ${source.db}\n`,
        );
      } finally {
        await store.close();
      }
    });
}

async function readLines(file: string, source: FeedbackSource) {
  try {
    return await readFeedbackFile(file, source);
  } catch (error) {
    if (error instanceof FeedbackFileError) throw new CliError(`${error.message}\nnothing was imported`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError(`${file}: no such file`);
    if (code === "EISDIR") throw new CliError(`${file}: is a directory`);
    throw error;
  }
}
