import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestGateway } from "../support/start-test-gateway.js";
import { assertCompleteOrError, readStream, startFaultGateway } from "./fault-gateway.js";

/**
 * Failures before the first byte: the client never notices them (same model after a retry,
 * or the fallback), JSON and streaming alike. Pass criterion per scenario: a complete answer
 * from the expected model with the expected attempt trail in `x-rightsize-attempts`.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startFaultGateway();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const ask = { model: "rightsize/small-first", messages: [{ role: "user" as const, content: "hello" }] };

async function json(): Promise<{ model: string | null; attempts: string | null; ms: number }> {
  const started = performance.now();
  const { data, response } = await t.client.chat.completions.create(ask).withResponse();
  expect(data.choices[0]?.finish_reason).toBe("stop");
  return {
    model: response.headers.get("x-rightsize-model"),
    attempts: response.headers.get("x-rightsize-attempts"),
    ms: performance.now() - started,
  };
}

async function stream(): Promise<{ model: string | null; attempts: string | null; ms: number }> {
  const started = performance.now();
  const outcome = await readStream(t.client, ask.model);
  expect(assertCompleteOrError(outcome)).toBe("complete");
  expect(outcome.text.length).toBeGreaterThan(0);
  return {
    model: outcome.headers?.get("x-rightsize-model") ?? null,
    attempts: outcome.headers?.get("x-rightsize-attempts") ?? null,
    ms: performance.now() - started,
  };
}

describe.each([
  ["JSON", json],
  ["stream", stream],
])("%s", (_kind, call) => {
  it("429 with Retry-After: waits the advertised time, then the same model answers", async () => {
    t.sim.scriptFor("sim-small", "rate-limit-retry-after:1");
    const r = await call();
    expect(r.ms).toBeGreaterThanOrEqual(950);
    expect([r.model, r.attempts]).toEqual(["small", "2"]);
    expect(t.sim.requests.map((q) => q.model)).toEqual(["sim-small", "sim-small"]);
  });

  it("429 without Retry-After: backs off briefly, then the same model answers", async () => {
    t.sim.scriptFor("sim-small", "rate-limit");
    const r = await call();
    expect([r.model, r.attempts]).toEqual(["small", "2"]);
  });

  it("500 once: one retry on the same model", async () => {
    t.sim.scriptFor("sim-small", "server-error");
    const r = await call();
    expect([r.model, r.attempts]).toEqual(["small", "2"]);
  });

  it("503 persistent: retries, then the fallback answers", async () => {
    t.sim.setDefault("unavailable", "sim-small");
    const r = await call();
    expect([r.model, r.attempts]).toEqual(["large", "3"]);
  });

  it("TCP reset before the response: retried, never surfaced", async () => {
    t.sim.scriptFor("sim-small", "reset");
    const r = await call();
    expect([r.model, r.attempts]).toEqual(["small", "2"]);
  });

  it("no response at all: the attempt deadline fires and the fallback answers", async () => {
    t.sim.setDefault("silence", "sim-small");
    const r = await call();
    expect(r.model).toBe("large");
    expect(r.ms).toBeLessThan(2_000);
  });

  it("slow first token past the TTFT budget: the fallback answers", async () => {
    t.sim.setDefault("slow-first-token:1500", "sim-small");
    const r = await call();
    expect(r.model).toBe("large");
    expect(r.ms).toBeLessThan(1_500);
  });
});
