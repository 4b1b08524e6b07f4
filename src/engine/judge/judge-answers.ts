import type { ChatRequest } from "../../core/chat-request.js";
import { absoluteJudgeRequest, pairwiseJudgeRequest } from "./judge-prompts.js";
import type { JudgeCall, Judgment } from "./judgment.js";
import { jsonSchemaProblem, requestJsonSchema } from "./json-schema-validity.js";
import { parseAbsoluteScore, parsePairwiseVerdict, type PairwiseChoice } from "./parse-verdict.js";

/** Asks the judge model one question: its reply text and what the call cost. */
export type AskJudge = (request: ChatRequest) => Promise<{ text: string; costUsd: number }>;

export interface JudgeSettings {
  model: string;
  mode: "pairwise" | "absolute";
  rubric: string;
  maxTokens: number;
}

export interface AnswerPair {
  request: ChatRequest;
  served: string;
  shadow: string;
}

/**
 * Scores the shadow answer against the served one. A request with a json_schema is scored
 * deterministically (each answer's validity), without a judge. Otherwise the judge model is
 * asked: pairwise twice, once in each order, or absolute once with the served answer as the
 * reference. Every reply is kept verbatim; one the strict parser cannot read makes the
 * judgment `unparseable` with no score, never a guess.
 */
export async function judgeAnswers(pair: AnswerPair, settings: JudgeSettings, ask: AskJudge): Promise<Judgment> {
  const schema = requestJsonSchema(pair.request);
  if (schema) return schemaJudgment(schema, pair);
  return settings.mode === "pairwise" ? pairwise(pair, settings, ask) : absolute(pair, settings, ask);
}

function schemaJudgment(schema: object, pair: AnswerPair): Judgment {
  const served = jsonSchemaProblem(schema, pair.served);
  const shadow = jsonSchemaProblem(schema, pair.shadow);
  const verdict =
    served === null && shadow === null
      ? "both-valid"
      : served === null
        ? "served-valid"
        : shadow === null
          ? "shadow-valid"
          : "both-invalid";
  const problems = [served && `served: ${served}`, shadow && `shadow: ${shadow}`].filter(Boolean);
  const judgment: Judgment = {
    method: "json_schema",
    judgeModel: null,
    verdict,
    score: shadow === null ? 1 : 0,
    servedScore: served === null ? 1 : 0,
    calls: [],
    costUsd: 0,
  };
  if (problems.length > 0) judgment.detail = problems.join("; ");
  return judgment;
}

async function pairwise(pair: AnswerPair, settings: JudgeSettings, ask: AskJudge): Promise<Judgment> {
  const question = (answerA: string, answerB: string) =>
    pairwiseJudgeRequest({
      model: settings.model,
      rubric: settings.rubric,
      request: pair.request,
      answerA,
      answerB,
      maxTokens: settings.maxTokens,
    });
  // Both orders at once: the second does not depend on the first.
  const [first, second] = await Promise.all([
    call(ask, question(pair.served, pair.shadow), parsePairwiseVerdict, "served-first"),
    call(ask, question(pair.shadow, pair.served), parsePairwiseVerdict, "shadow-first"),
  ]);
  const calls = [first.record, second.record];
  const costUsd = first.record.costUsd + second.record.costUsd;
  const base = { method: "pairwise" as const, judgeModel: settings.model, calls, costUsd };
  if (first.failed || second.failed) return { ...base, verdict: "failed", score: null, servedScore: null };
  if (first.value === undefined || second.value === undefined) return { ...base, verdict: "unparseable", score: null, servedScore: null };
  // Points for the shadow answer in each order: A is the served answer in the first, the shadow answer in the second.
  const points = (choice: PairwiseChoice, shadowIs: "A" | "B") => (choice === "tie" ? 0.5 : choice === shadowIs ? 1 : 0);
  const a = points(first.value, "B");
  const b = points(second.value, "A");
  const score = (a + b) / 2;
  const verdict =
    a === b
      ? a === 1
        ? "shadow-better"
        : a === 0
          ? "served-better"
          : "tie"
      : score === 0.5 && a !== 0.5
        ? "inconsistent"
        : score > 0.5
          ? "shadow-better"
          : "served-better";
  return { ...base, verdict, score, servedScore: 1 - score };
}

async function absolute(pair: AnswerPair, settings: JudgeSettings, ask: AskJudge): Promise<Judgment> {
  const request = absoluteJudgeRequest({
    model: settings.model,
    rubric: settings.rubric,
    request: pair.request,
    reference: pair.served,
    candidate: pair.shadow,
    maxTokens: settings.maxTokens,
  });
  const graded = await call(ask, request, parseAbsoluteScore);
  const base = {
    method: "absolute" as const,
    judgeModel: settings.model,
    calls: [graded.record],
    costUsd: graded.record.costUsd,
    servedScore: null,
  };
  if (graded.failed) return { ...base, verdict: "failed", score: null };
  if (graded.value === undefined) return { ...base, verdict: "unparseable", score: null };
  return { ...base, verdict: "graded", score: graded.value / 10 };
}

async function call<T extends string | number>(
  ask: AskJudge,
  request: ChatRequest,
  parse: (reply: string) => T | undefined,
  order?: JudgeCall["order"],
): Promise<{ record: JudgeCall; value: T | undefined; failed: boolean }> {
  try {
    const reply = await ask(request);
    const value = parse(reply.text);
    const record: JudgeCall = { raw: reply.text, parsed: value ?? null, costUsd: reply.costUsd };
    if (order) record.order = order;
    return { record, value, failed: false };
  } catch (error) {
    const record: JudgeCall = { raw: null, parsed: null, costUsd: 0, error: error instanceof Error ? error.message : String(error) };
    if (order) record.order = order;
    return { record, value: undefined, failed: true };
  }
}
