import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { simText } from "../support/sim-scenario.js";
import type { TestGateway } from "../support/start-test-gateway.js";
import { assertCompleteOrError, readStream, startFaultGateway } from "./fault-gateway.js";

/**
 * Breaks that no model can splice: a half-sent tool call, several choices, a total deadline
 * that passes while continuations keep stalling. Pass criterion: an error frame (never a
 * finish reason on a cut answer, never a silent close), and one request-log row.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startFaultGateway();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

it("a tool call cut mid-arguments ends with an error frame", async () => {
  t.sim.scriptFor("sim-small", {
    toolCalls: [{ name: "lookup", arguments: JSON.stringify({ query: simText(30) }) }],
    fault: "cut",
    afterTokens: 5,
  });
  const chunks: string[] = [];
  let error: unknown;
  try {
    const stream = await t.client.chat.completions.create({
      model: "rightsize/small-first",
      messages: [{ role: "user", content: "look it up" }],
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
      stream: true,
    });
    for await (const chunk of stream) chunks.push(chunk.choices[0]?.finish_reason ?? "");
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toMatchObject({ code: "stream_interrupted" });
  expect(chunks.filter(Boolean)).toEqual([]);
  expect(t.sim.requests).toHaveLength(1);
});

it("n = 2 choices cut mid-answer end with an error frame", async () => {
  t.sim.scriptFor("sim-small", { content: simText(40), fault: "cut", afterTokens: 10 });
  let finish: string | null = null;
  let error: unknown;
  try {
    const stream = await t.client.chat.completions.create({
      model: "rightsize/small-first",
      messages: [{ role: "user", content: "two" }],
      n: 2,
      stream: true,
    });
    for await (const chunk of stream) for (const c of chunk.choices) finish = c.finish_reason ?? finish;
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toMatchObject({ code: "stream_interrupted" });
  expect(finish).toBeNull();
});

it("the total deadline passing while every continuation stalls ends with an error frame", async () => {
  t.sim.setDefault({ content: simText(40), fault: "stall", afterTokens: 5 });
  await t.store.flush();
  const before = await t.store.count();
  const started = performance.now();
  const outcome = await readStream(t.client, "rightsize/small-first");
  expect(assertCompleteOrError(outcome)).toBe("error");
  expect(performance.now() - started).toBeLessThan(5_000);
  await t.store.flush();
  expect(await t.store.count()).toBe(before + 1);
  const rows = await t.store.list({ limit: 1 });
  expect(rows[0]?.error).toMatch(/deadline|no model could continue/);
  expect(rows[0]?.status).toBeGreaterThanOrEqual(500);
  expect(rows[0]?.attempts.every((a) => a.usage !== undefined || a.outcome !== "ok")).toBe(true);
});
