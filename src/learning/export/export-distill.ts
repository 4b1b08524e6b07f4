import type { Redactor } from "../../storage/create-redactor.js";
import { isServed } from "../../storage/request-log-query.js";
import type { LoggedExchange } from "../../storage/request-log-store.js";
import { estimateTokens } from "../../pricing/estimate-tokens.js";
import { type DistillMessage, distillConversation, promptText } from "./distill-conversation.js";
import { type DistillFormat, formatExample } from "./distill-formats.js";
import { loggedMessages, splitLoggedAnswer } from "./logged-conversation.js";
import { NearDuplicateIndex, type NearDuplicateOptions } from "./near-duplicate-index.js";
import { type ScoreOptions, scoreExchange } from "./score-exchange.js";
import { splitByEpisode } from "./split-by-episode.js";

export interface ExportDistillOptions extends ScoreOptions {
  format: DistillFormat;
  /** Models whose answers teach (served answers, or shadow answers of these models); undefined: every model. */
  teachers?: readonly string[];
  /** A scored answer below this is dropped (default 0.5). */
  minScore?: number;
  /** Drop answers nothing scored (default false: unscored teacher answers are kept). */
  requireScore?: boolean;
  /** Share of episodes in the validation split (default 0.1). */
  validationShare?: number;
  dedup?: NearDuplicateOptions;
  redact: Redactor;
  onProgress?: (read: number) => void;
}

export interface DistillExample {
  split: "train" | "validation";
  example: Record<string, unknown>;
}

export interface ExportDistillSummary {
  format: DistillFormat;
  /** The teacher models, or "all". */
  teachers: string[] | "all";
  read: number;
  written: { train: number; validation: number };
  /** Estimated tokens (characters / 4) of the examples written, per split. */
  tokens: { train: number; validation: number };
  /** Where the answers came from: a demonstration (a corrected answer), a served teacher answer, a teacher's shadow answer. */
  answers: { demonstration: number; served: number; shadow: number };
  /** Examples dropped, by reason. */
  dropped: Record<string, number>;
  dedup: { threshold: number };
}

interface Candidate {
  answer: string;
  kind: "demonstration" | "served" | "shadow";
  score: number | undefined;
  finishReason: string | null;
}

/**
 * Teacher data from logged exchanges, oldest first, written one example at a time. Per request:
 * the latest demonstration in its feedback wins; otherwise the best-scored answer of a teacher
 * model (the served one or a shadow one). A scored answer below `minScore` is dropped, a cut-off
 * one (`finish_reason: length`) too; the conversation and answer are redacted; exact and
 * near-duplicate prompts (MinHash) keep only their first example; the split is by episode.
 */
export async function exportDistill(
  exchanges: AsyncIterable<LoggedExchange>,
  write: (example: DistillExample) => void | Promise<void>,
  options: ExportDistillOptions,
): Promise<ExportDistillSummary> {
  const minScore = options.minScore ?? 0.5;
  const validationShare = options.validationShare ?? 0.1;
  const index = new NearDuplicateIndex(options.dedup);
  const teachers = options.teachers ? new Set(options.teachers) : undefined;
  const summary: ExportDistillSummary = {
    format: options.format,
    teachers: options.teachers ? [...options.teachers] : "all",
    read: 0,
    written: { train: 0, validation: 0 },
    tokens: { train: 0, validation: 0 },
    answers: { demonstration: 0, served: 0, shadow: 0 },
    dropped: {},
    dedup: { threshold: index.threshold },
  };
  const drop = (reason: string) => {
    summary.dropped[reason] = (summary.dropped[reason] ?? 0) + 1;
  };
  for await (const exchange of exchanges) {
    summary.read += 1;
    options.onProgress?.(summary.read);
    const { request } = exchange;
    if (!isServed(request)) {
      drop("not served");
      continue;
    }
    const messages = loggedMessages(request.prompt);
    if (!messages) {
      drop("no prompt logged");
      continue;
    }
    const picked = pickAnswer(exchange, teachers, options);
    if (typeof picked === "string") {
      drop(picked);
      continue;
    }
    if (picked.kind !== "demonstration") {
      if (picked.score === undefined && options.requireScore) {
        drop("no score");
        continue;
      }
      if (picked.score !== undefined && picked.score < minScore) {
        drop(`score below ${minScore}`);
        continue;
      }
      if (picked.finishReason === "length") {
        drop("answer cut off (finish_reason length)");
        continue;
      }
      if (picked.finishReason === "tool_calls" && splitLoggedAnswer(picked.answer).toolCalls.length === 0) {
        drop("tool calls not in the log (streamed)");
        continue;
      }
    }
    const conversation = distillConversation(messages, picked.answer, options.redact);
    if (!conversation.ok) {
      drop(conversation.reason);
      continue;
    }
    const formatted = formatExample(options.format, conversation.messages);
    if (!formatted.ok) {
      drop(formatted.reason);
      continue;
    }
    const duplicate = index.check(promptText(conversation.messages));
    if (duplicate) {
      drop(duplicate.kind === "exact" ? "duplicate prompt" : "near-duplicate prompt");
      continue;
    }
    const split = splitByEpisode(request.episodeId, request.id, validationShare);
    summary.written[split] += 1;
    summary.tokens[split] += exampleTokens(conversation.messages);
    summary.answers[picked.kind] += 1;
    await write({ split, example: formatted.example });
  }
  return summary;
}

/** The answer to teach for an exchange, or why there is none. */
function pickAnswer(exchange: LoggedExchange, only: ReadonlySet<string> | undefined, options: ScoreOptions): Candidate | string {
  const teaches = (model: string) => only === undefined || only.has(model);
  const demonstrations = exchange.feedback.filter((record) => record.demonstration !== null);
  const latest = demonstrations.sort((a, b) => a.time - b.time)[demonstrations.length - 1];
  if (latest?.demonstration) return { answer: latest.demonstration, kind: "demonstration", score: undefined, finishReason: null };
  const scores = scoreExchange(exchange, options);
  const candidates: Candidate[] = [];
  const { request } = exchange;
  if (request.model !== null && teaches(request.model) && request.answer !== null) {
    candidates.push({
      answer: request.answer,
      kind: "served",
      score: scores.models.get(request.model)?.score,
      finishReason: request.finishReason,
    });
  }
  for (const judgment of exchange.shadows) {
    if (!teaches(judgment.shadowModel) || judgment.shadowAnswer === null || judgment.error !== null) continue;
    candidates.push({
      answer: judgment.shadowAnswer,
      kind: "shadow",
      score: scores.models.get(judgment.shadowModel)?.score,
      finishReason: null,
    });
  }
  if (candidates.length === 0) {
    return request.answer === null && request.model !== null && teaches(request.model) ? "no answer logged" : "no teacher answer";
  }
  // The best-scored one; an unscored one ranks below any scored one at or above the bar, above any below it.
  candidates.sort((a, b) => (b.score ?? 0.5) - (a.score ?? 0.5));
  return candidates[0] as Candidate;
}

function exampleTokens(messages: readonly DistillMessage[]): number {
  let tokens = 0;
  for (const message of messages) {
    tokens += estimateTokens(message.content ?? "");
    if (message.tool_calls) tokens += estimateTokens(JSON.stringify(message.tool_calls));
  }
  return tokens;
}
