import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simText } from "../support/sim-scenario.js";
import type { TestGateway } from "../support/start-test-gateway.js";
import { assertCompleteOrError, readStream, startFaultGateway } from "./fault-gateway.js";

/**
 * Streams that break after the first byte. Pass criterion: the official client receives ONE
 * complete answer (the partial answer plus the continuation, spliced, ending with a finish
 * reason) or an error frame; never a truncated answer with finish_reason "stop", never a
 * silent close.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startFaultGateway();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const FULL = simText(100);
const tokens = FULL.match(/\s*\S+/g) ?? [];
const restAfter = (n: number): string => tokens.slice(n).join("");

describe("a stream that breaks mid-answer is continued by another model", () => {
  it.each([
    ["cut after 40 tokens", { fault: "cut" as const, afterTokens: 40 }, 40],
    ["cut after 60 tokens", { fault: "cut" as const, afterTokens: 60 }, 60],
    ["stall mid-answer", { fault: "stall" as const, afterTokens: 30 }, 30],
    ["malformed chunk", { fault: "malformed" as const, afterTokens: 25 }, 25],
    ["missing [DONE] (body ends without finish)", { fault: "missing-done" as const, afterTokens: 50 }, 50],
    ["in-band error frame", { fault: "error-frame" as const, afterTokens: 20 }, 20],
  ])("%s: one complete answer", async (_name, fault, at) => {
    t.sim.scriptFor("sim-small", { content: FULL, ...fault });
    t.sim.scriptFor("sim-large", { content: restAfter(at) });
    const outcome = await readStream(t.client, "rightsize/small-first");
    expect(assertCompleteOrError(outcome, FULL)).toBe("complete");
    expect(outcome.finishReason).toBe("stop");
    const continuation = t.sim.requests.find((r) => r.model === "sim-large");
    const messages = (continuation!.body as { messages: { role: string; content: string }[] }).messages;
    expect(messages.at(-2)).toMatchObject({ role: "assistant", content: tokens.slice(0, at).join("") });
    expect(outcome.headers?.get("x-rightsize-model")).toBe("small");
  });

  it("a continuation that repeats the last words is trimmed", async () => {
    t.sim.scriptFor("sim-small", { content: FULL, fault: "cut", afterTokens: 40 });
    t.sim.scriptFor("sim-large", { content: tokens.slice(36).join("") });
    const outcome = await readStream(t.client, "rightsize/small-first");
    expect(assertCompleteOrError(outcome, FULL)).toBe("complete");
  });

  it("finish sent but [DONE] missing: the answer is complete as is, nothing is re-asked", async () => {
    t.sim.scriptFor("sim-small", { content: FULL, omitDone: true });
    const outcome = await readStream(t.client, "rightsize/small-first");
    expect(assertCompleteOrError(outcome, FULL)).toBe("complete");
    expect(t.sim.requests).toHaveLength(1);
  });
});

describe("when no model can continue, the stream ends with an error frame", () => {
  it("every continuation fails: error frame, no finish reason", async () => {
    t.sim.scriptFor("sim-small", { content: FULL, fault: "cut", afterTokens: 40 });
    t.sim.setDefault("unavailable", "sim-large");
    t.sim.setDefault("unavailable", "sim-small");
    const outcome = await readStream(t.client, "rightsize/small-first");
    expect(assertCompleteOrError(outcome)).toBe("error");
    expect(outcome.error?.code).toBe("stream_interrupted");
    expect(outcome.text).toBe(tokens.slice(0, 40).join(""));
  });

  it("the continuation breaks too: continued again or an error frame, never a truncated stop", async () => {
    t.sim.scriptFor("sim-small", { content: FULL, fault: "cut", afterTokens: 40 }, { content: FULL, fault: "cut", afterTokens: 10 });
    t.sim.scriptFor("sim-large", { content: restAfter(40), fault: "cut", afterTokens: 10 }, { content: restAfter(50) });
    const outcome = await readStream(t.client, "rightsize/small-first");
    expect(["complete", "error"]).toContain(assertCompleteOrError(outcome));
    if (!outcome.error) expect(outcome.text.startsWith(tokens.slice(0, 50).join(""))).toBe(true);
  });
});

describe("the same faults on a JSON answer are retried or fall back", () => {
  it.each([
    ["body cut halfway", { fault: "cut" as const }],
    ["body stalls halfway", { fault: "stall" as const }],
    ["body is not JSON", { fault: "malformed" as const }],
    ["500 error body", { fault: "error-frame" as const }],
  ])("%s: one complete answer", async (_name, fault) => {
    t.sim.setDefault({ content: FULL, ...fault }, "sim-small");
    t.sim.scriptFor("sim-large", { content: FULL });
    const { data, response } = await t.client.chat.completions
      .create({ model: "rightsize/small-first", messages: [{ role: "user", content: "hello" }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(FULL);
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(response.headers.get("x-rightsize-model")).toBe("large");
    expect(response.headers.get("x-rightsize-attempts")).toBe("3");
  });
});
