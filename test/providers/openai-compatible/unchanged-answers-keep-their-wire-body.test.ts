import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wireBodyOf } from "../../../src/core/wire-body.js";
import { OpenAiCompatibleModel } from "../../../src/providers/openai-compatible/openai-compatible-model.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "../../support/upstream-simulator.js";
import { signal, userRequest } from "../collect-stream.js";

/**
 * A JSON answer the provider returns unchanged carries the upstream's body text, so the gateway
 * sends those bytes instead of serializing the answer again; an answer the provider had to
 * complete (no usage: estimated) does not.
 */
describe("the wire body of a JSON answer", () => {
  let sim: UpstreamSimulator;
  let model: OpenAiCompatibleModel;
  beforeAll(async () => {
    sim = await startUpstreamSimulator();
    model = new OpenAiCompatibleModel({
      id: "m",
      provider: "openai-compatible",
      model: "upstream-m",
      baseUrl: sim.baseUrl,
      assistantPrefill: false,
      maxConnections: 8,
      price: { input: 0, output: 0 },
      contextWindow: 8192,
      tier: "small",
    });
  });
  afterAll(async () => {
    await model.close();
    await sim.close();
  });

  it("is the upstream's body, and parses to the answer", async () => {
    const result = await model.generate(userRequest("hi"), { signal: signal() });
    const wire = wireBodyOf(result);
    expect(wire).toBeDefined();
    expect(JSON.parse(wire ?? "")).toEqual(result);
    expect(Object.keys(result)).not.toContain("wireBody");
    expect(wireBodyOf({ ...result })).toBeUndefined();
  });

  it("is absent when the provider filled in usage", async () => {
    sim.scriptFor("upstream-m", { omitUsage: true });
    const result = await model.generate(userRequest("hi"), { signal: signal() });
    expect(result.usage.estimated).toBe(true);
    expect(wireBodyOf(result)).toBeUndefined();
  });
});
