import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => t.close());

describe("a client that disconnects cancels the upstream request", () => {
  it("mid-stream", async () => {
    t.sim.reset();
    t.sim.script({ content: "a ".repeat(400), chunkDelayMs: 20 });
    const controller = new AbortController();
    const stream = await t.client.chat.completions.create(
      { model: "small", messages: [{ role: "user", content: "long story" }], stream: true },
      { signal: controller.signal },
    );
    let chunks = 0;
    try {
      for await (const _chunk of stream) {
        chunks += 1;
        if (chunks === 3) controller.abort();
      }
    } catch {
      // the client may end the iteration or throw an abort error: either way it has left
    }
    expect(chunks).toBeLessThan(50);
    const [upstream] = await t.sim.waitForRequests(1);
    const closed = await t.sim.whenClosed(upstream!);
    expect(closed.disconnected).toBe(true);
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.status).toBe(499);
  });

  it("while waiting for a JSON answer", async () => {
    t.sim.reset();
    t.sim.script({ latencyMs: 5_000 });
    const controller = new AbortController();
    const pending = t.client.chat.completions.create(
      { model: "small", messages: [{ role: "user", content: "slow" }] },
      { signal: controller.signal },
    );
    const [upstream] = await t.sim.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    const closed = await t.sim.whenClosed(upstream!);
    expect(closed.disconnected).toBe(true);
  });
});
