import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestGateway } from "../support/start-test-gateway.js";
import { assertCompleteOrError, readStream, startFaultGateway } from "./fault-gateway.js";

/**
 * 400s that are not the client's syntax: a prompt too long for the model goes to a model with a
 * larger context window (no retry on the same one); a content-filter refusal is surfaced as is
 * (no retry, no fallback). Pass criterion: the expected model / error and the exact upstream calls.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startFaultGateway();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const model = "rightsize/small-first";

describe("context-length 400", () => {
  it("JSON: retried once, on the model with the larger window", async () => {
    t.sim.setDefault("context-length:5", "sim-small");
    const { response } = await t.client.chat.completions
      .create({ model, messages: [{ role: "user", content: "a long prompt" }] })
      .withResponse();
    expect(response.headers.get("x-rightsize-model")).toBe("large");
    expect(t.sim.requests.map((r) => r.model)).toEqual(["sim-small", "sim-large"]);
  });

  it("stream: the larger model streams the whole answer", async () => {
    t.sim.setDefault("context-length:5", "sim-small");
    const outcome = await readStream(t.client, model, "a long prompt");
    expect(assertCompleteOrError(outcome)).toBe("complete");
    expect(outcome.headers?.get("x-rightsize-model")).toBe("large");
    expect(t.sim.requests.map((r) => r.model)).toEqual(["sim-small", "sim-large"]);
  });
});

describe("content-filter 400", () => {
  it("JSON: surfaced with its code, one upstream call", async () => {
    t.sim.setDefault("content-filter", "sim-small");
    await expect(t.client.chat.completions.create({ model, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({
      status: 400,
      code: "content_filter",
    });
    expect(t.sim.requests).toHaveLength(1);
  });

  it("stream: surfaced before any byte, one upstream call", async () => {
    t.sim.setDefault("content-filter", "sim-small");
    const outcome = await readStream(t.client, model);
    expect(assertCompleteOrError(outcome)).toBe("error");
    expect(outcome.error).toMatchObject({ status: 400, code: "content_filter" });
    expect(t.sim.requests).toHaveLength(1);
  });
});
