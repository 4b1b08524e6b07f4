import { messageText, type ChatRequest } from "../../core/chat-request.js";

export const PAIRWISE_SYSTEM =
  "You are a strict judge. You compare two answers to the same conversation by the rubric. " +
  "Reply with exactly one line and nothing else: VERDICT: A, VERDICT: B or VERDICT: TIE.";

export const ABSOLUTE_SYSTEM =
  "You are a strict judge. You grade a candidate answer by the rubric, with the reference answer as the standard. " +
  "Reply with exactly one line and nothing else: SCORE: <an integer from 1 to 10>.";

/** The conversation as the judge reads it (tool calls and images as their text only). */
export function conversationText(request: ChatRequest): string {
  return request.messages.map((m) => `${m.role.toUpperCase()}: ${messageText(m)}`).join("\n\n");
}

/** A judge request asking which of two answers is better. */
export function pairwiseJudgeRequest(input: {
  model: string;
  rubric: string;
  request: ChatRequest;
  answerA: string;
  answerB: string;
  maxTokens: number;
}): ChatRequest {
  const user =
    `RUBRIC: ${input.rubric}\n\nCONVERSATION:\n${conversationText(input.request)}\n\n` +
    `=== ANSWER A ===\n${input.answerA}\n=== ANSWER B ===\n${input.answerB}\n=== END ===\n\n` +
    "Reply with exactly one line: VERDICT: A, VERDICT: B or VERDICT: TIE.";
  return judgeRequest(input.model, PAIRWISE_SYSTEM, user, input.maxTokens);
}

/** A judge request grading a candidate answer 1-10 against a reference answer. */
export function absoluteJudgeRequest(input: {
  model: string;
  rubric: string;
  request: ChatRequest;
  reference: string;
  candidate: string;
  maxTokens: number;
}): ChatRequest {
  const user =
    `RUBRIC: ${input.rubric}\n\nCONVERSATION:\n${conversationText(input.request)}\n\n` +
    `=== REFERENCE ANSWER ===\n${input.reference}\n=== CANDIDATE ANSWER ===\n${input.candidate}\n=== END ===\n\n` +
    "Reply with exactly one line: SCORE: <an integer from 1 to 10>.";
  return judgeRequest(input.model, ABSOLUTE_SYSTEM, user, input.maxTokens);
}

function judgeRequest(model: string, system: string, user: string, maxTokens: number): ChatRequest {
  return {
    model,
    messages: [
      { role: "system", content: system },
      { role: "user", content: user },
    ],
    temperature: 0,
    max_tokens: maxTokens,
  };
}
