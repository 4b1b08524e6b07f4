import { isServed } from "../../storage/request-log-query.js";
import type { LoggedExchange } from "../../storage/request-log-store.js";
import { loggedMessages } from "./logged-conversation.js";
import { routerPrompt } from "./router-prompt.js";
import { type ScoreOptions, scoreExchange } from "./score-exchange.js";

export interface ExportOutcomesOptions extends ScoreOptions {
  /** Rows need at least this many scored models (default 1; `rightsize train` needs every model it trains on). */
  minModels?: number;
  /** Told after every exchange read (progress). */
  onProgress?: (read: number) => void;
}

/** One outcome row in the ../shared/data format, with rightsize's extras. */
export interface ExportedOutcomeRow {
  id: string;
  prompt: string;
  category: string;
  source: "rightsize-log";
  outcomes: Record<string, { score: number; output_chars?: number; evidence: string; n: number }>;
  time: string;
  router: string | null;
  served_model: string;
  tags: string[];
  episode_id: string | null;
  provenance: { feedback: number; episode_feedback: number; shadow: number; unparseable: number; labels_ignored: number };
}

export interface ExportOutcomesSummary {
  read: number;
  rows: number;
  /** Scored model answers by evidence (feedback:reviewer, episode:user, shadow, …). */
  byEvidence: Record<string, number>;
  /** Rows per model scored. */
  byModel: Record<string, number>;
  dropped: { not_served: number; no_prompt: number; no_score: number; too_few_models: number };
  unparseable: number;
  labelsIgnored: number;
}

/** The category of a logged request: its router (or `direct` when a model was asked for by name), then its tags. */
export function outcomeCategory(router: string | null, tags: readonly string[] | undefined): string {
  const base = router ?? "direct";
  return tags && tags.length > 0 ? `${base}/${tags.join("+")}` : base;
}

/**
 * Turns logged exchanges into outcome rows (one per request with a scored answer), written one
 * at a time through `write`: memory holds one page of the log, never the whole of it.
 */
export async function exportOutcomes(
  exchanges: AsyncIterable<LoggedExchange>,
  write: (row: ExportedOutcomeRow) => void | Promise<void>,
  options: ExportOutcomesOptions = {},
): Promise<ExportOutcomesSummary> {
  const minModels = options.minModels ?? 1;
  const summary: ExportOutcomesSummary = {
    read: 0,
    rows: 0,
    byEvidence: {},
    byModel: {},
    dropped: { not_served: 0, no_prompt: 0, no_score: 0, too_few_models: 0 },
    unparseable: 0,
    labelsIgnored: 0,
  };
  for await (const exchange of exchanges) {
    summary.read += 1;
    options.onProgress?.(summary.read);
    const { request } = exchange;
    if (!isServed(request)) {
      summary.dropped.not_served += 1;
      continue;
    }
    const messages = loggedMessages(request.prompt);
    const scores = scoreExchange(exchange, options);
    summary.unparseable += scores.unparseable;
    summary.labelsIgnored += scores.labels;
    if (!messages || request.model === null) {
      summary.dropped.no_prompt += 1;
      continue;
    }
    if (scores.models.size === 0) {
      summary.dropped.no_score += 1;
      continue;
    }
    if (scores.models.size < minModels) {
      summary.dropped.too_few_models += 1;
      continue;
    }
    const outcomes: ExportedOutcomeRow["outcomes"] = {};
    for (const [model, scored] of [...scores.models].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const chars = outputChars(exchange, model);
      outcomes[model] = {
        score: scored.score,
        ...(chars === undefined ? {} : { output_chars: chars }),
        evidence: scored.evidence,
        n: scored.n,
      };
      summary.byEvidence[scored.evidence] = (summary.byEvidence[scored.evidence] ?? 0) + 1;
      summary.byModel[model] = (summary.byModel[model] ?? 0) + 1;
    }
    summary.rows += 1;
    await write({
      id: request.id,
      prompt: routerPrompt(messages),
      category: outcomeCategory(request.router, request.tags),
      source: "rightsize-log",
      outcomes,
      time: new Date(request.time).toISOString(),
      router: request.router,
      served_model: request.model,
      tags: request.tags ?? [],
      episode_id: request.episodeId ?? null,
      provenance: {
        feedback: exchange.feedback.length,
        episode_feedback: exchange.episodeFeedback.length,
        shadow: exchange.shadows.length,
        unparseable: scores.unparseable,
        labels_ignored: scores.labels,
      },
    });
  }
  return summary;
}

/** Length of a model's answer on this exchange: the served answer, or the shadow model's. */
function outputChars(exchange: LoggedExchange, model: string): number | undefined {
  if (model === exchange.request.model) return exchange.request.answer?.length;
  const shadow = exchange.shadows.find((judgment) => judgment.shadowModel === model && judgment.shadowAnswer !== null);
  return shadow?.shadowAnswer?.length;
}
