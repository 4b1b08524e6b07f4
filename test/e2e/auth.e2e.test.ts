import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, UPSTREAM_KEY, type TestGateway } from "../support/start-test-gateway.js";

const CLIENT_KEY = "rs-client-key-42";
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ clientKey: CLIENT_KEY });
});
afterAll(async () => t.close());

describe("client API keys", () => {
  it("accepts a configured bearer key and logs the caller id", async () => {
    const answer = await t.client.chat.completions.create({ model: "small", messages: [{ role: "user", content: "hi" }] });
    expect(answer.choices).toHaveLength(1);
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.callerId).toBe("tester");
  });

  it("rejects a wrong key and a missing key with 401", async () => {
    const wrong = new OpenAI({ baseURL: `${t.gateway.url}/v1`, apiKey: "nope", maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: "small", messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    const response = await fetch(`${t.gateway.url}/v1/models`);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("didn't provide an API key");
  });

  it("never returns the upstream key, even when the upstream rejects it", async () => {
    t.sim.script("unauthorized", "unauthorized", "unauthorized", "unauthorized");
    const response = await fetch(`${t.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: "rightsize/small-first", messages: [{ role: "user", content: "hi" }] }),
    });
    const text = await response.text();
    expect(response.status).toBe(502);
    expect(JSON.parse(text)).toMatchObject({ error: { code: "upstream_authentication_failed" } });
    expect(text).not.toContain(UPSTREAM_KEY);
    expect(text).not.toContain(UPSTREAM_KEY.slice(3, 20));
    await t.store.flush();
    const rows = await t.store.list({ limit: 5 });
    expect(JSON.stringify(rows)).not.toContain(UPSTREAM_KEY);
  });
});
