import type { Command } from "commander";
import { counterfactualCost } from "../../pricing/counterfactual-cost.js";
import { openRequestLogReader } from "../../storage/open-request-log-reader.js";
import type { RequestLogLocation } from "../../storage/request-log-location.js";
import { RequestLogOpenError } from "../../storage/request-log-open-error.js";
import type { FeedbackRecord } from "../../storage/feedback-record.js";
import type { RequestLogQuery, RequestLogReader, RequestLogRecord } from "../../storage/request-log-store.js";
import { CliError } from "../cli-error.js";
import { formatFeedbackSummary, formatRequestFeedback, formatShadowSpend } from "../logs/format-feedback.js";
import { formatCostSummary, formatRequestTable } from "../logs/format-request-log.js";
import { parseLimit, parseSince } from "../logs/parse-since.js";
import { resolveLogsSource } from "../logs/resolve-logs-source.js";

interface LogsOptions {
  config?: string;
  db?: string;
  prices?: string;
  limit: string;
  since?: string;
  model?: string;
  key?: string;
  json?: boolean;
}

/** `rightsize logs`: recent requests from the request log and a cost summary. */
export function registerLogsCommand(program: Command): void {
  program
    .command("logs")
    .description("List recent requests from the request log and summarize their cost.")
    .option("-c, --config <file>", "config file (its storage and model prices)")
    .option("--db <file|url>", "request log file or postgres:// URL (default: the config's storage, else ./rightsize.db)")
    .option("--prices <file>", 'JSON prices per 1M tokens, {"model": {"input": 0.15, "output": 0.6}}')
    .option("-n, --limit <n>", "number of requests to list", "20")
    .option("--since <when>", "only requests since a duration ago (30m, 1h, 2d) or a UTC date (2026-11-27)")
    .option("-m, --model <id>", "only requests served by this model")
    .option("-k, --key <id>", "only requests of this client key (a virtual key id key_…, or a config key's id): its spend and tokens")
    .option("--json", "print JSON instead of tables")
    .action(async (options: LogsOptions) => {
      const query: RequestLogQuery = {};
      if (options.since !== undefined) query.since = parseSince(options.since);
      if (options.model !== undefined) query.model = options.model;
      if (options.key !== undefined) query.callerId = options.key;
      const limit = parseLimit(options.limit);
      const source = await resolveLogsSource(options);
      const reader = await openReader(source.location);
      try {
        const records = await reader.list({ ...query, limit });
        const summary = await reader.costSummary(query);
        const counterfactual = counterfactualCost([summary], source.prices);
        const feedbackSummary = await reader.feedbackSummary(query);
        const shadow = await reader.shadowSummary(query);
        const feedback = feedbackSummary.records > 0 ? await feedbackOf(reader, records) : undefined;
        if (options.json) {
          const byRequest = Object.fromEntries([...(feedback?.records ?? new Map())]);
          process.stdout.write(
            `${JSON.stringify(
              {
                db: source.db,
                requests: records,
                summary,
                counterfactual: counterfactual ?? null,
                feedback: { summary: feedbackSummary, byRequest },
                shadow,
              },
              null,
              2,
            )}\n`,
          );
          return;
        }
        if (summary.requests === 0) {
          process.stdout.write(
            `No requests in ${source.db}${options.since || options.model || options.key ? " match the filters" : ""}.\n`,
          );
          return;
        }
        const shown = records.length < summary.requests ? `, showing the latest ${records.length} (--limit)` : "";
        process.stdout.write(`${summary.requests} requests in ${source.db}${shown}\n\n`);
        if (records.length > 0) process.stdout.write(`${formatRequestTable(records, feedback?.text)}\n`);
        process.stdout.write(formatCostSummary(summary, counterfactual));
        if (feedbackSummary.current > 0) process.stdout.write(formatFeedbackSummary(feedbackSummary));
        if (shadow.judgments > 0) process.stdout.write(formatShadowSpend(shadow));
      } finally {
        await reader.close();
      }
    });
}

/** The current feedback of each listed request (its own and its episode's): as records for --json, as text for the table. */
async function feedbackOf(
  reader: RequestLogReader,
  records: readonly RequestLogRecord[],
): Promise<{ records: Map<string, FeedbackRecord[]>; text: Map<string, string> }> {
  const byEpisode = new Map<string, FeedbackRecord[]>();
  const out = { records: new Map<string, FeedbackRecord[]>(), text: new Map<string, string>() };
  for (const record of records) {
    const own = await reader.listFeedback({ requestId: record.id });
    let episode: FeedbackRecord[] = [];
    if (record.episodeId !== undefined) {
      episode = byEpisode.get(record.episodeId) ?? (await reader.listFeedback({ episodeId: record.episodeId }));
      byEpisode.set(record.episodeId, episode);
    }
    if (own.length + episode.length > 0) out.records.set(record.id, [...own, ...episode]);
    out.text.set(record.id, formatRequestFeedback(own, episode));
  }
  return out;
}

async function openReader(location: RequestLogLocation): Promise<RequestLogReader> {
  try {
    return await openRequestLogReader(location);
  } catch (error) {
    if (error instanceof RequestLogOpenError) throw new CliError(error.message);
    throw error;
  }
}
