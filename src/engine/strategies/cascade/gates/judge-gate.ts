import { messageText, type ChatRequest } from "../../../../core/chat-request.js";
import type { QualityGate } from "./quality-gate.js";

export interface JudgeGateOptions {
  /** The grading model's id. */
  model: string;
  rubric: string;
  /** Pass at this grade (0-10) or above. */
  minScore: number;
}

const SYSTEM = "You grade answers written by another assistant. Apply the rubric strictly. Reply with one line: GRADE: <0-10>.";

/** An LLM judge: a configured model grades the answer against a rubric (a `judge` attempt). */
export function judgeGate(options: JudgeGateOptions): QualityGate {
  return {
    name: "judge",
    needsLogprobs: false,
    earlyTokens: undefined,
    async evaluate(input, services) {
      const request: ChatRequest = {
        model: options.model,
        messages: [
          { role: "system", content: SYSTEM },
          { role: "user", content: judgePrompt(input.request, input.text, options.rubric) },
        ],
        temperature: 0,
        max_tokens: 16,
      };
      let reply: string;
      try {
        reply = (await services.generate(options.model, request, "judge")).text;
      } catch (error) {
        return {
          pass: false,
          score: 0,
          reason: `judge: ${options.model} could not grade (${error instanceof Error ? error.message : String(error)})`,
        };
      }
      const grade = parseGrade(reply);
      if (grade === undefined) return { pass: false, score: 0, reason: `judge: no grade in ${JSON.stringify(reply.slice(0, 60))}` };
      return {
        pass: grade >= options.minScore,
        score: grade / 10,
        reason: `judge: ${options.model} grades ${grade}/10 (need ${options.minScore})`,
      };
    },
  };
}

function judgePrompt(request: ChatRequest, answer: string, rubric: string): string {
  const conversation = request.messages
    .filter((m) => m.role !== "system" && m.role !== "developer")
    .map((m) => `${m.role.toUpperCase()}: ${messageText(m)}`)
    .join("\n\n");
  return `RUBRIC: ${rubric}\n\nCONVERSATION:\n${conversation}\n\nANSWER TO GRADE:\n${answer}\n\nReply with GRADE: <0-10>.`;
}

/** `GRADE: 8`, `8/10`, or the first number in [0, 10]. */
export function parseGrade(reply: string): number | undefined {
  const tagged = /grade\s*[:=]?\s*(\d+(?:\.\d+)?)/i.exec(reply) ?? /(\d+(?:\.\d+)?)\s*\/\s*10/.exec(reply) ?? /(\d+(?:\.\d+)?)/.exec(reply);
  const value = tagged?.[1] === undefined ? undefined : Number(tagged[1]);
  return value !== undefined && value >= 0 && value <= 10 ? value : undefined;
}
