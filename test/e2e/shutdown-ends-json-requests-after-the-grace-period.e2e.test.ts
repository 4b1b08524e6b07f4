import { request } from "undici";
import { expect, it } from "vitest";
import { startTestGateway } from "../support/start-test-gateway.js";

it("a JSON request still waiting when the grace period ends gets an OpenAI-shaped 503 and its log row; close() resolves", async () => {
  const t = await startTestGateway({
    edit: (config) => {
      config.server = { ...config.server, timeouts: { shutdownGraceMs: 300 } };
    },
  });
  try {
    t.sim.setDefault({ latencyMs: 10_000 });
    const pending = request(`${t.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "slow-json" },
      body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "take your time" }] }),
    });
    await t.sim.waitForRequests(1);
    const started = performance.now();
    const closed = t.gateway.close();
    const response = await pending;
    expect(response.statusCode).toBe(503);
    expect(await response.body.json()).toMatchObject({ error: { code: "shutting_down", type: "server_error" } });
    await closed;
    expect(performance.now() - started).toBeLessThan(5_000);
    const rows = (await t.store.list()).filter((row) => row.id === "slow-json");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 503, errorCode: "shutting_down" });
  } finally {
    await t.gateway.close();
    await t.sim.close();
  }
});
