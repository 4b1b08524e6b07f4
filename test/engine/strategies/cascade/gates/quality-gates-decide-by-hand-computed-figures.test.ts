import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../../../../src/core/chat-request.js";
import type { TokenLogprob } from "../../../../../src/core/chat-result.js";
import { buildQualityGate } from "../../../../../src/engine/strategies/cascade/gates/build-quality-gate.js";
import { confidenceStats } from "../../../../../src/engine/strategies/cascade/gates/confidence-gate.js";
import { answerKey } from "../../../../../src/engine/strategies/cascade/gates/consistency-gate.js";
import { parseGrade } from "../../../../../src/engine/strategies/cascade/gates/judge-gate.js";
import type { GateInput, GateServices } from "../../../../../src/engine/strategies/cascade/gates/quality-gate.js";
import { ScriptedLanguageModel } from "../../../scripted-language-model.js";

const request: ChatRequest = { model: "m", messages: [{ role: "user", content: "q" }] };
const tier = new ScriptedLanguageModel("tier");
const input = (text: string, extra: Partial<GateInput> = {}): GateInput => ({
  request,
  tier,
  text,
  finishReason: "stop",
  refusal: null,
  hasToolCalls: false,
  logprobs: null,
  ...extra,
});
const noServices: GateServices = {
  generate: () => Promise.reject(new Error("no calls expected")),
};
const lp = (logprob: number, top?: number[]): TokenLogprob => ({
  token: "t",
  logprob,
  ...(top ? { top_logprobs: top.map((l) => ({ token: "x", logprob: l })) } : {}),
});

describe("confidence statistics", () => {
  it("mean, min and entropy (with the unlisted mass as one more outcome)", () => {
    const half = Math.log(0.5);
    // Token 1: two alternatives of 0.5 → H = ln 2. Token 2: one alternative of 0.5, 0.5 unlisted → H = ln 2.
    const stats = confidenceStats([lp(half, [half, half]), lp(-1, [half])]);
    expect(stats.meanLogprob).toBeCloseTo((half - 1) / 2, 12);
    expect(stats.minLogprob).toBe(-1);
    expect(stats.meanEntropy).toBeCloseTo(Math.log(2), 12);
  });

  it("the gate fails on the weakest token even when the mean is fine", async () => {
    const gate = buildQualityGate({ kind: "confidence", minMeanLogprob: -1, minTokenLogprob: -2 });
    const verdict = await gate.evaluate(input("a b c", { logprobs: [lp(-0.1), lp(-0.1), lp(-2.5)] }), noServices);
    expect(verdict.pass).toBe(false);
    expect(verdict.reason).toBe("confidence: min logprob -2.500 < -2");
    expect(verdict.score).toBeCloseTo(Math.exp(-2.7 / 3), 12);
  });

  it("with no logprobs the gate fails (cannot vouch for the answer)", async () => {
    const verdict = await buildQualityGate({ kind: "confidence" }).evaluate(input("a"), noServices);
    expect(verdict).toMatchObject({ pass: false, score: 0 });
  });

  it("decides early only once it has seen earlyTokens tokens", () => {
    const gate = buildQualityGate({ kind: "confidence", minMeanLogprob: -0.5, earlyTokens: 3 });
    expect(gate.earlyTokens).toBe(3);
    expect(gate.decideEarly?.([lp(-0.1), lp(-0.1)], "a b")).toBeUndefined();
    expect(gate.decideEarly?.([lp(-0.1), lp(-0.1), lp(-0.1)], "a b c")?.pass).toBe(true);
    expect(gate.decideEarly?.([lp(-1), lp(-1), lp(-1)], "a b c")?.pass).toBe(false);
  });
});

describe("format, length and refusal", () => {
  it("JSON is checked when the request asks for JSON, fences tolerated", async () => {
    const gate = buildQualityGate({ kind: "format", schema: true });
    const json = { ...request, response_format: { type: "json_object" as const } };
    expect((await gate.evaluate(input('```json\n{"a":1}\n```', { request: json }), noServices)).pass).toBe(true);
    expect((await gate.evaluate(input("{a:1}", { request: json }), noServices)).reason).toMatch(/^format: not JSON/);
    expect((await gate.evaluate(input("plain text"), noServices)).pass).toBe(true);
  });

  it("a regex must match", async () => {
    const gate = buildQualityGate({ kind: "format", regex: "^\\d+$", schema: true });
    expect((await gate.evaluate(input("42"), noServices)).pass).toBe(true);
    expect((await gate.evaluate(input("forty-two"), noServices)).reason).toBe("format: does not match /^\\d+$/");
  });

  it.each([
    ["", false, "length: 0 characters < 1"],
    ["I'm sorry, but I can't do that.", false, "length: the answer is a refusal"],
    ["As an AI language model, I cannot browse.", false, "length: the answer is a refusal"],
    ["Sorry for the wait — here is the answer: 4.", true, undefined],
    ["The answer is 4.", true, undefined],
  ])("%j → pass %s", async (text, pass, reason) => {
    const verdict = await buildQualityGate({ kind: "length", minChars: 1, refusal: true, truncated: true }).evaluate(
      input(text),
      noServices,
    );
    expect(verdict.pass).toBe(pass);
    if (reason) expect(verdict.reason).toBe(reason);
  });

  it("an answer cut by max_tokens fails; a tool-call-only answer passes", async () => {
    const gate = buildQualityGate({ kind: "length", minChars: 1, refusal: true, truncated: true });
    expect((await gate.evaluate(input("partial", { finishReason: "length" }), noServices)).pass).toBe(false);
    expect((await gate.evaluate(input("", { hasToolCalls: true, finishReason: "tool_calls" }), noServices)).pass).toBe(true);
  });
});

describe("combinations", () => {
  const pass = { kind: "format" as const, schema: true };
  const fail = { kind: "format" as const, regex: "^never$", schema: true };
  it("all / any", async () => {
    expect((await buildQualityGate({ kind: "all", gates: [pass, fail] }).evaluate(input("x"), noServices)).pass).toBe(false);
    expect((await buildQualityGate({ kind: "any", gates: [fail, pass] }).evaluate(input("x"), noServices)).pass).toBe(true);
  });

  it("weighted: Σ weight·score / Σ weight against the threshold", async () => {
    const gate = buildQualityGate({
      kind: "weighted",
      threshold: 0.7,
      gates: [
        { gate: pass, weight: 3 },
        { gate: fail, weight: 1 },
      ],
    });
    const verdict = await gate.evaluate(input("x"), noServices);
    expect(verdict.score).toBeCloseTo(0.75, 12);
    expect(verdict.pass).toBe(true);
  });

  it("all decides early only when every part can; a failing part fails it early", () => {
    const confident = { kind: "confidence" as const, minMeanLogprob: -0.5, earlyTokens: 2 };
    const both = buildQualityGate({ kind: "all", gates: [confident, { kind: "length", minChars: 1, refusal: true, truncated: true }] });
    expect(both.decideEarly?.([lp(-0.1), lp(-0.1)], "a b")).toBeUndefined();
    expect(both.decideEarly?.([lp(-3), lp(-3)], "a b")?.pass).toBe(false);
    const onlyConfidence = buildQualityGate({ kind: "all", gates: [confident] });
    expect(onlyConfidence.decideEarly?.([lp(-0.1), lp(-0.1)], "a b")?.pass).toBe(true);
  });
});

describe("answer keys and grades", () => {
  it.each([
    ['{"b":1,"a":[1,2]}', '{ "a": [1, 2], "b": 1 }'],
    ["The answer is 4.", "the answer is 4"],
    [`${"Let me think step by step. ".repeat(8)}So the total is 1,234.`, `${"First, we add the numbers together. ".repeat(6)}Total: 1234`],
  ])("%j and %j are the same answer", (a, b) => {
    expect(answerKey(a)).toBe(answerKey(b));
  });

  it.each([
    ["GRADE: 8", 8],
    ["I'd say 7/10.", 7],
    ["grade=9.5", 9.5],
    ["Score 42", undefined],
    ["no idea", undefined],
  ])("parseGrade(%j) = %s", (reply, grade) => {
    expect(parseGrade(reply)).toBe(grade);
  });
});
