import { describe, expect, it } from "vitest";
import { ContentFilterError, InvalidRequestError, UpstreamError } from "../../../../src/core/errors.js";
import { callContext } from "../../build-test-engine.js";
import { ask, cascadeFixture } from "./cascade-fixture.js";

describe("a non-streamed cascade", () => {
  it("serves the cheapest tier when its answer passes the gate", async () => {
    const f = await cascadeFixture({ gate: { kind: "confidence", minMeanLogprob: -0.5 } });
    f.tiny.script({ text: "4", logprob: -0.1 });
    const done = await f.engine.complete(ask(), callContext());
    expect(done.model.id).toBe("tiny");
    expect(done.cascade).toEqual({ outcome: "accepted", tier: 1, tiers: 3 });
    expect(f.mid.calls).toHaveLength(0);
    expect(f.tiny.calls[0]?.logprobs).toBe(true);
    // Logprobs the cascade asked for are not passed on.
    expect(done.result.choices[0]?.logprobs).toBeNull();
  });

  it("escalates tier by tier while the gate fails, and records each verdict", async () => {
    const f = await cascadeFixture({ gate: { kind: "confidence", minMeanLogprob: -0.5 } });
    f.tiny.script({ text: "maybe 5", logprob: -2 });
    f.mid.script({ text: "perhaps 4", logprob: -1.2 });
    f.big.script({ text: "4" });
    const done = await f.engine.complete(ask(), callContext());
    expect(done.model.id).toBe("big");
    expect(done.result.choices[0]?.message.content).toBe("4");
    expect(done.cascade).toEqual({ outcome: "last-tier", tier: 3, tiers: 3 });
    expect(f.big.calls[0]?.logprobs).toBeUndefined();
    expect(done.attempts.map((a) => [a.model, a.step, a.outcome])).toEqual([
      ["tiny", "cascade", "ok"],
      ["mid", "cascade", "ok"],
      ["big", "cascade", "ok"],
    ]);
    expect(done.attempts[0]?.note).toMatch(/^gate fail: confidence: mean logprob -2\.000 < -0\.5/);
    expect(done.attempts[1]?.note).toMatch(/^gate fail/);
    expect(done.attempts[2]?.note).toBe("cascade: last tier, served as is");
    // Cost covers every tier.
    const sum = done.attempts.reduce((s, a) => s + (a.costUsd ?? 0), 0);
    expect(done.costUsd).toBeCloseTo(sum, 15);
    await f.store.flush();
    const [row] = await f.store.list({ limit: 1 });
    expect(row?.attempts).toHaveLength(3);
    expect(row?.model).toBe("big");
  });

  it("a tier that fails outright escalates to the next", async () => {
    const f = await cascadeFixture({ gate: { kind: "length" } });
    f.tiny.script({ error: new UpstreamError("boom", { upstreamStatus: 503 }) });
    f.mid.script({ text: "4" });
    const done = await f.engine.complete(ask(), callContext());
    expect(done.model.id).toBe("mid");
    expect(done.attempts.map((a) => [a.model, a.outcome])).toEqual([
      ["tiny", "error"],
      ["mid", "ok"],
    ]);
  });

  it("a refusal from the small tier escalates (length/refusal gate)", async () => {
    const f = await cascadeFixture({ tiers: ["tiny", "big"], gate: { kind: "length" } });
    f.tiny.script({ text: "I'm sorry, but I can't help with that." });
    const done = await f.engine.complete(ask(), callContext());
    expect(done.model.id).toBe("big");
    expect(done.attempts[0]?.note).toBe("gate fail: length: the answer is a refusal");
  });

  it("the judge's call is an attempt with step judge, and its cost is counted", async () => {
    const f = await cascadeFixture({ tiers: ["tiny", "big"], gate: { kind: "judge", model: "judge", minScore: 7 } });
    f.judge.script({ text: "GRADE: 3", promptTokens: 100, completionTokens: 3 });
    const done = await f.engine.complete(ask(), callContext());
    expect(done.model.id).toBe("big");
    expect(done.attempts.map((a) => [a.model, a.step])).toEqual([
      ["tiny", "cascade"],
      ["judge", "judge"],
      ["big", "cascade"],
    ]);
    expect(done.attempts[1]?.costUsd).toBeCloseTo((100 * 0.5 + 3 * 1) / 1e6, 15);
    expect(done.attempts[0]?.note).toContain("judge grades 3/10 (need 7)");
    const rubricPrompt = String(f.judge.calls[0]?.messages[1]?.content);
    expect(rubricPrompt).toContain("What is 2 + 2?");
    expect(rubricPrompt).toContain("answer from tiny");
  });

  it("self-consistency draws k samples from the same tier (step sample) and passes when they agree", async () => {
    const f = await cascadeFixture({ tiers: ["tiny", "big"], gate: { kind: "consistency", samples: 3, minAgreement: 0.6 } });
    f.tiny.script({ text: "The answer is 4." }, { text: "the answer is 4" }, { text: "The answer is 4" }, { text: "It is 5." });
    const done = await f.engine.complete(ask(), callContext());
    expect(done.model.id).toBe("tiny");
    expect(done.attempts.map((a) => a.step)).toEqual(["cascade", "sample", "sample", "sample"]);
    expect(done.attempts[0]?.note).toContain("2/3 samples agree");
    expect(f.tiny.calls[1]?.temperature).toBe(0.8);
  });

  it("a format gate escalates an answer that breaks the request's json_schema", async () => {
    const f = await cascadeFixture({ tiers: ["tiny", "big"], gate: { kind: "format" } });
    f.tiny.script({ text: '{"answer": "four"}' });
    f.big.script({ text: '{"answer": 4}' });
    const request = {
      ...ask(),
      response_format: {
        type: "json_schema" as const,
        json_schema: { name: "a", schema: { type: "object", properties: { answer: { type: "integer" } }, required: ["answer"] } },
      },
    };
    const done = await f.engine.complete(request, callContext());
    expect(done.result.choices[0]?.message.content).toBe('{"answer": 4}');
    expect(done.attempts[0]?.note).toMatch(/^gate fail: format: does not match the json_schema: answer:/);
  });
});

describe("cascade budgets", () => {
  it("when the cost budget is spent, the best answer so far is served and said so", async () => {
    const f = await cascadeFixture({ gate: { kind: "confidence", minMeanLogprob: -0.5 }, budget: { maxCostUsd: 1e-9 } });
    f.tiny.script({ text: "5", logprob: -0.9 });
    const done = await f.engine.complete(ask(), callContext());
    expect(done.model.id).toBe("tiny");
    expect(done.cascade).toEqual({ outcome: "budget-exceeded", tier: 1, tiers: 3 });
    expect(f.mid.calls).toHaveLength(0);
    expect(done.attempts[0]?.note).toContain("cost budget");
  });

  it("when the latency budget is spent, the best-scoring of the answers so far is served", async () => {
    let now = 0;
    const realNow = performance.now.bind(performance);
    const f = await cascadeFixture({ gate: { kind: "confidence", minMeanLogprob: -0.1 }, budget: { maxAddedLatencyMs: 50 } });
    f.tiny.script({ text: "4", logprob: -0.3 });
    f.mid.script({ text: "5", logprob: -0.9 });
    performance.now = () => (now += 20);
    try {
      const done = await f.engine.complete(ask(), callContext());
      expect(done.cascade?.outcome).toBe("budget-exceeded");
      expect(done.result.choices[0]?.message.content).toBe("4");
      expect(f.big.calls).toHaveLength(0);
    } finally {
      performance.now = realNow;
    }
  });

  it("when the last tier fails outright, the best cheaper answer is served (best-so-far)", async () => {
    const f = await cascadeFixture({ tiers: ["tiny", "big"], gate: { kind: "confidence", minMeanLogprob: -0.5 } });
    f.tiny.script({ text: "probably 4", logprob: -1 });
    f.big.script({ error: new UpstreamError("down", { upstreamStatus: 503 }) });
    const done = await f.engine.complete(ask(), callContext());
    expect(done.model.id).toBe("tiny");
    expect(done.result.choices[0]?.message.content).toBe("probably 4");
    expect(done.cascade).toEqual({ outcome: "best-so-far", tier: 1, tiers: 2 });
  });

  it("a tier that rejects the request (400, e.g. no logprobs support) escalates; a content filter is surfaced", async () => {
    const f = await cascadeFixture({ tiers: ["tiny", "big"], gate: { kind: "confidence" } });
    f.tiny.script({ error: new InvalidRequestError("logprobs is not supported", { upstreamStatus: 400 }) });
    const done = await f.engine.complete(ask(), callContext());
    expect(done.model.id).toBe("big");
    f.tiny.script({ error: new ContentFilterError("filtered", { upstreamStatus: 400 }) });
    await expect(f.engine.complete(ask(), callContext())).rejects.toBeInstanceOf(ContentFilterError);
    expect(f.big.calls).toHaveLength(1);
  });
});
