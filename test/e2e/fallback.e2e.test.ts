import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const ask = { model: "rightsize/small-first", messages: [{ role: "user" as const, content: "hello" }] };

describe("retries and fallbacks", () => {
  it("retries a 500 once on the same model", async () => {
    t.sim.scriptFor("sim-small", "server-error");
    const { response } = await t.client.chat.completions.create(ask).withResponse();
    expect(response.headers.get("x-rightsize-model")).toBe("small");
    expect(response.headers.get("x-rightsize-attempts")).toBe("2");
  });

  it("falls back to the next target when the first keeps failing (JSON)", async () => {
    t.sim.setDefault("unavailable", "sim-small");
    const { data, response } = await t.client.chat.completions.create(ask).withResponse();
    expect(data.model).toBe("sim-large");
    expect(response.headers.get("x-rightsize-model")).toBe("large");
    expect(response.headers.get("x-rightsize-attempts")).toBe("3");
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.attempts.map((a) => [a.model, a.step, a.outcome, a.status])).toEqual([
      ["small", "route", "error", 503],
      ["small", "retry", "error", 503],
      ["large", "fallback", "ok", undefined],
    ]);
  });

  it("falls back before the first byte of a stream, transparently", async () => {
    t.sim.setDefault("reset", "sim-small");
    const stream = await t.client.chat.completions.create({ ...ask, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text.length).toBeGreaterThan(0);
    expect(t.sim.requests.filter((r) => r.model === "sim-large")).toHaveLength(1);
  });

  it("honours retry-after-ms before retrying a 429", async () => {
    t.sim.scriptFor("sim-small", "rate-limit-retry-after-ms:120");
    const started = performance.now();
    const { response } = await t.client.chat.completions.create(ask).withResponse();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(response.headers.get("x-rightsize-model")).toBe("small");
  });

  it("surfaces a content-filter 400 without retrying or falling back", async () => {
    t.sim.scriptFor("sim-small", "content-filter");
    await expect(t.client.chat.completions.create(ask)).rejects.toMatchObject({ status: 400, code: "content_filter" });
    expect(t.sim.requests).toHaveLength(1);
  });

  it("answers 502/503-class errors in OpenAI shape when every target fails", async () => {
    t.sim.setDefault("server-error");
    await expect(t.client.chat.completions.create(ask)).rejects.toMatchObject({ status: expect.any(Number) });
    const error = await t.client.chat.completions.create(ask).catch((e: { status: number; error: unknown }) => e);
    expect((error as { status: number }).status).toBeGreaterThanOrEqual(500);
  });
});
