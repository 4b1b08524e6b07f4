import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { estimateTokens } from "../../src/pricing/estimate-tokens.js";
import { simText } from "../support/sim-scenario.js";
import type { TestGateway } from "../support/start-test-gateway.js";
import { assertCompleteOrError, readStream, startFaultGateway } from "./fault-gateway.js";

/**
 * Pass criterion: every attempt of a rescued request (the failed one, the broken partial
 * stream, the continuation) is in the request log with its usage and cost; the row's totals,
 * the usage chunk the client got and the cost are their sums.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startFaultGateway();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const PRICES: Record<string, { input: number; output: number }> = { small: { input: 0.1, output: 0.2 }, large: { input: 5, output: 15 } };

it("a 500, a stream cut after 40 tokens and a continuation are all recorded and summed", async () => {
  const full = simText(100);
  const tokens = full.match(/\s*\S+/g) ?? [];
  t.sim.scriptFor("sim-small", "server-error", { content: full, fault: "cut", afterTokens: 40 });
  t.sim.scriptFor("sim-large", { content: tokens.slice(40).join(""), promptTokens: 300, completionTokens: 60 });
  const outcome = await readStream(t.client, "rightsize/small-first");
  expect(assertCompleteOrError(outcome, full)).toBe("complete");
  await t.store.flush();
  const [row] = await t.store.list({ limit: 1 });
  if (!row) throw new Error("no request log row");
  expect(row.attempts.map((a) => [a.model, a.step, a.outcome, a.partial ?? false])).toEqual([
    ["small", "route", "error", false],
    ["small", "retry", "error", true],
    ["large", "continuation", "ok", false],
  ]);
  const partial = row.attempts[1];
  // The upstream sent no usage before the cut: the partial answer is estimated from its text.
  expect(partial?.usage?.completion_tokens).toBe(estimateTokens(tokens.slice(0, 40).join("")));
  expect(partial?.usage?.estimated).toBe(true);
  expect(row.attempts[2]?.usage).toMatchObject({ prompt_tokens: 300, completion_tokens: 60 });
  let prompt = 0;
  let completion = 0;
  let cost = 0;
  for (const a of row.attempts) {
    prompt += a.usage?.prompt_tokens ?? 0;
    completion += a.usage?.completion_tokens ?? 0;
    const price = PRICES[a.model];
    if (a.usage && price) {
      expect(a.costUsd).toBeCloseTo((a.usage.prompt_tokens * price.input + a.usage.completion_tokens * price.output) / 1e6, 12);
    }
    cost += a.costUsd ?? 0;
  }
  expect(completion).toBe((row.attempts[0]?.usage?.completion_tokens ?? 0) + (partial?.usage?.completion_tokens ?? 0) + 60);
  expect([row.promptTokens, row.completionTokens]).toEqual([prompt, completion]);
  expect(row.costUsd).toBeCloseTo(cost, 12);
  expect(row.costUsd).toBeGreaterThan(0);
  expect(outcome.usage).toMatchObject({ prompt_tokens: prompt, completion_tokens: completion });
  expect(row.status).toBe(200);
  expect(row.finishReason).toBe("stop");
});

it("a stream that cannot be rescued still records and sums the partial attempt", async () => {
  const text = simText(100);
  t.sim.scriptFor("sim-small", { content: text, fault: "cut", afterTokens: 60 });
  t.sim.setDefault("unavailable", "sim-large");
  t.sim.setDefault("unavailable", "sim-small");
  const outcome = await readStream(t.client, "rightsize/small-first");
  expect(assertCompleteOrError(outcome)).toBe("error");
  await t.store.flush();
  const [row] = await t.store.list({ limit: 1 });
  expect(row?.status).toBe(502);
  expect(row?.attempts[0]).toMatchObject({ model: "small", partial: true, usage: { estimated: true } });
  const partialTokens = estimateTokens((text.match(/\s*\S+/g) ?? []).slice(0, 60).join(""));
  expect(row?.attempts[0]?.usage?.completion_tokens).toBe(partialTokens);
  const failedContinuations = row?.attempts.slice(1).reduce((s, a) => s + (a.usage?.completion_tokens ?? 0), 0);
  expect(row?.completionTokens).toBe(partialTokens + (failedContinuations ?? 0));
  expect(row?.costUsd).toBeCloseTo(row?.attempts.reduce((s, a) => s + (a.costUsd ?? 0), 0) ?? -1, 12);
  expect(row?.costUsd).toBeGreaterThan(0);
});
