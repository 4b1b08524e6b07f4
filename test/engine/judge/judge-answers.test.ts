import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../../src/core/chat-request.js";
import { judgeAnswers, type AskJudge, type JudgeSettings } from "../../../src/engine/judge/judge-answers.js";
import { parseAbsoluteScore, parsePairwiseVerdict } from "../../../src/engine/judge/parse-verdict.js";

const request: ChatRequest = { model: "rightsize/auto", messages: [{ role: "user", content: "Name a prime number." }] };
const pairwise: JudgeSettings = { model: "judge", mode: "pairwise", rubric: "correctness", maxTokens: 16 };
const absolute: JudgeSettings = { ...pairwise, mode: "absolute" };

/** A judge that answers by which answer comes first in the prompt (A) or by a fixed reply. */
function judgeReplying(reply: (prompt: string) => string, costUsd = 0.001): { ask: AskJudge; prompts: string[] } {
  const prompts: string[] = [];
  return {
    prompts,
    ask: async (judgeRequest) => {
      const prompt = String(judgeRequest.messages.at(-1)?.content);
      prompts.push(prompt);
      return { text: reply(prompt), costUsd };
    },
  };
}

/** Prefers the answer containing "7": a judge with no position bias. */
const fair = (prompt: string) => {
  const a = /=== ANSWER A ===\n([\s\S]*?)\n=== ANSWER B ===/.exec(prompt)?.[1] ?? "";
  const b = /=== ANSWER B ===\n([\s\S]*?)\n=== END ===/.exec(prompt)?.[1] ?? "";
  const goodA = a.includes("7");
  const goodB = b.includes("7");
  return goodA === goodB ? "VERDICT: TIE" : goodA ? "VERDICT: A" : "VERDICT: B";
};

describe("strict verdict parsers", () => {
  it("read only a reply that is exactly one verdict line", () => {
    expect(parsePairwiseVerdict("VERDICT: A")).toBe("A");
    expect(parsePairwiseVerdict("  verdict: b.\n")).toBe("B");
    expect(parsePairwiseVerdict("**VERDICT: TIE**")).toBe("tie");
    expect(parsePairwiseVerdict("I think A. VERDICT: A")).toBeUndefined();
    expect(parsePairwiseVerdict("VERDICT: A\nVERDICT: B")).toBeUndefined();
    expect(parsePairwiseVerdict("A")).toBeUndefined();
    expect(parsePairwiseVerdict("VERDICT: C")).toBeUndefined();
    expect(parseAbsoluteScore("SCORE: 7")).toBe(7);
    expect(parseAbsoluteScore("score: 10/10")).toBe(10);
    expect(parseAbsoluteScore("SCORE: 0")).toBeUndefined();
    expect(parseAbsoluteScore("SCORE: 11")).toBeUndefined();
    expect(parseAbsoluteScore("SCORE: 7.5")).toBeUndefined();
    expect(parseAbsoluteScore("I would say 7")).toBeUndefined();
  });
});

describe("judgeAnswers", () => {
  it("asks pairwise in both orders and scores the shadow answer from both", async () => {
    const judge = judgeReplying(fair);
    const judgment = await judgeAnswers({ request, served: "It is 8.", shadow: "It is 7." }, pairwise, judge.ask);
    expect(judge.prompts).toHaveLength(2);
    expect(judge.prompts[0]).toContain("RUBRIC: correctness");
    expect(judge.prompts[0]).toContain("=== ANSWER A ===\nIt is 8.");
    expect(judge.prompts[1]).toContain("=== ANSWER A ===\nIt is 7.");
    expect(judgment).toMatchObject({ method: "pairwise", verdict: "shadow-better", score: 1, servedScore: 0, costUsd: 0.002 });
    expect(judgment.calls.map((c) => [c.order, c.raw, c.parsed])).toEqual([
      ["served-first", "VERDICT: B", "B"],
      ["shadow-first", "VERDICT: A", "A"],
    ]);
  });

  it("cancels position bias: a judge that always picks A scores the pair as a tie, labelled inconsistent", async () => {
    const judgment = await judgeAnswers({ request, served: "x", shadow: "y" }, pairwise, judgeReplying(() => "VERDICT: A").ask);
    expect(judgment).toMatchObject({ verdict: "inconsistent", score: 0.5 });
  });

  it("records an unparseable verdict as such, with the raw reply and its cost, and no score", async () => {
    const judgment = await judgeAnswers(
      { request, served: "x", shadow: "y" },
      pairwise,
      judgeReplying(() => "Both are fine, I guess A.").ask,
    );
    expect(judgment).toMatchObject({ verdict: "unparseable", score: null, servedScore: null, costUsd: 0.002 });
    expect(judgment.calls.map((c) => c.raw)).toEqual(["Both are fine, I guess A.", "Both are fine, I guess A."]);
    expect(judgment.calls.every((c) => c.parsed === null)).toBe(true);
  });

  it("one unparseable order of two makes the whole pairwise judgment unparseable", async () => {
    let n = 0;
    const judgment = await judgeAnswers(
      { request, served: "x", shadow: "y" },
      pairwise,
      judgeReplying(() => (n++ === 0 ? "VERDICT: B" : "B")).ask,
    );
    expect(judgment).toMatchObject({ verdict: "unparseable", score: null });
  });

  it("grades the shadow answer 1-10 against the served one as reference in absolute mode", async () => {
    const judge = judgeReplying(() => "SCORE: 6");
    const judgment = await judgeAnswers({ request, served: "ref", shadow: "cand" }, absolute, judge.ask);
    expect(judge.prompts).toHaveLength(1);
    expect(judge.prompts[0]).toContain("=== REFERENCE ANSWER ===\nref\n=== CANDIDATE ANSWER ===\ncand");
    expect(judgment).toMatchObject({ method: "absolute", verdict: "graded", score: 0.6, calls: [{ raw: "SCORE: 6", parsed: 6 }] });
  });

  it("records a failed judge call as failed, not as a verdict", async () => {
    const judgment = await judgeAnswers({ request, served: "x", shadow: "y" }, absolute, async () => {
      throw new Error("upstream 503");
    });
    expect(judgment).toMatchObject({ verdict: "failed", score: null, calls: [{ raw: null, error: "upstream 503" }] });
  });

  it("scores a json_schema request by each answer's validity, without asking the judge", async () => {
    const schemaRequest: ChatRequest = {
      ...request,
      response_format: {
        type: "json_schema",
        json_schema: { name: "n", schema: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] } },
      },
    };
    const judge = judgeReplying(() => "VERDICT: A");
    const judgment = await judgeAnswers({ request: schemaRequest, served: '{"n": 7}', shadow: "seven" }, pairwise, judge.ask);
    expect(judge.prompts).toHaveLength(0);
    expect(judgment).toMatchObject({
      method: "json_schema",
      judgeModel: null,
      verdict: "served-valid",
      score: 0,
      servedScore: 1,
      costUsd: 0,
    });
    expect(judgment.detail).toContain("shadow: not JSON");
  });
});
