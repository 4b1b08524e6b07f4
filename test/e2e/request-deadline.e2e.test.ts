import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config) => {
      config.server = { ...config.server, timeouts: { requestMs: 300, attemptMs: 10_000, firstTokenMs: 10_000 } };
    },
  });
});
afterAll(async () => t.close());

describe("the total request deadline", () => {
  it("answers a JSON request with 504 when no model answers in time, and logs it", async () => {
    t.sim.reset();
    t.sim.setDefault("silence");
    const started = performance.now();
    const error = await t.client.chat.completions
      .create({ model: "rightsize/small-first", messages: [{ role: "user", content: "hi" }] })
      .catch((e: { status?: number; code?: string }) => e);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error).toMatchObject({ status: 504, code: "timeout" });
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.status).toBe(504);
  });

  it("answers a stream that never starts with 504 before any byte", async () => {
    t.sim.reset();
    t.sim.setDefault("silence");
    const error = await t.client.chat.completions
      .create({ model: "rightsize/small-first", messages: [{ role: "user", content: "hi" }], stream: true })
      .catch((e: { status?: number }) => e);
    expect(error).toMatchObject({ status: 504 });
  });
});
