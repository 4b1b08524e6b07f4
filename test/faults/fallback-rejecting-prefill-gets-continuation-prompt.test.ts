import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { CONTINUATION_PROMPT } from "../../src/engine/continuation-request.js";
import { simText } from "../support/sim-scenario.js";
import type { TestGateway } from "../support/start-test-gateway.js";
import { assertCompleteOrError, readStream, startFaultGateway } from "./fault-gateway.js";

/**
 * The continuation target says it supports assistant prefill but answers 400 to it. Pass
 * criterion: the engine asks the same target again with a continuation prompt and the client
 * gets one complete answer.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startFaultGateway();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

it("a prefill rejected with 400 is retried as a continuation prompt on the same target", async () => {
  const full = simText(80);
  const tokens = full.match(/\s*\S+/g) ?? [];
  t.sim.scriptFor("sim-small", { content: full, fault: "cut", afterTokens: 40 });
  t.sim.scriptFor("sim-prefill", { rejectPrefill: true }, { content: tokens.slice(40).join("") });
  const outcome = await readStream(t.client, "rightsize/prefill");
  expect(assertCompleteOrError(outcome, full)).toBe("complete");
  const calls = t.sim.requests
    .filter((r) => r.model === "sim-prefill")
    .map((r) => (r.body as { messages: { role: string; content: string; prefix?: boolean }[] }).messages);
  expect(calls).toHaveLength(2);
  expect(calls[0]?.at(-1)).toMatchObject({ role: "assistant", prefix: true, content: tokens.slice(0, 40).join("") });
  expect(calls[1]?.at(-1)).toMatchObject({ role: "user", content: CONTINUATION_PROMPT });
});

it("a target that accepts prefill continues from the assistant prefix", async () => {
  const full = simText(80);
  const tokens = full.match(/\s*\S+/g) ?? [];
  t.sim.scriptFor("sim-small", { content: full, fault: "cut", afterTokens: 40 });
  t.sim.scriptFor("sim-prefill", { content: tokens.slice(40).join("") });
  const outcome = await readStream(t.client, "rightsize/prefill");
  expect(assertCompleteOrError(outcome, full)).toBe("complete");
  const calls = t.sim.requests.filter((r) => r.model === "sim-prefill");
  expect(calls).toHaveLength(1);
});
