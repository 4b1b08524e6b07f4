import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryKeyStore } from "../../src/storage/keys/memory-key-store.js";
import type { NewVirtualKey } from "../../src/storage/keys/virtual-key.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

const hi = [{ role: "user" as const, content: "hi" }];

describe("virtual keys: access, rate limits and budgets at the gateway", () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function gatewayWithKey(key: NewVirtualKey, cacheMs = 60_000) {
    const keyStore = new MemoryKeyStore();
    const issued = await keyStore.create(key);
    t = await startTestGateway({
      keyStore,
      edit: (config) => {
        config.server = { ...config.server, virtualKeys: { cacheMs } };
      },
    });
    const post = (body: Record<string, unknown>, secret = issued.secret) =>
      fetch(`${t?.gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
        body: JSON.stringify(body),
      });
    return { keyStore, issued, post, gateway: t };
  }

  it("a store key turns auth on: its secret is accepted and logged by key id, none or a wrong one gets 401", async () => {
    const { issued, gateway } = await gatewayWithKey({ owner: "team" });
    const client = new OpenAI({ baseURL: `${gateway.gateway.url}/v1`, apiKey: issued.secret, maxRetries: 0 });
    expect((await client.chat.completions.create({ model: "small", messages: hi })).choices).toHaveLength(1);
    const anonymous = await fetch(`${gateway.gateway.url}/v1/models`);
    expect(anonymous.status).toBe(401);
    const wrong = new OpenAI({ baseURL: `${gateway.gateway.url}/v1`, apiKey: "rs-nope", maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: "small", messages: hi })).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    await gateway.store.flush();
    const rows = await gateway.store.list();
    expect(rows.find((r) => r.status === 200)?.callerId).toBe(issued.key.id);
  });

  it("a revoked key stops working once the gateway's cache of it expires", async () => {
    const { keyStore, issued, post } = await gatewayWithKey({ owner: "team" }, 50);
    expect((await post({ model: "small", messages: hi })).status).toBe(200);
    await keyStore.revoke(issued.key.id);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const refused = await post({ model: "small", messages: hi });
    expect(refused.status).toBe(401);
    // Revoking the last key does not turn auth off.
    expect((await fetch(`${t?.gateway.url}/v1/models`)).status).toBe(401);
  });

  it("a router or model the key may not use is a 403 in OpenAI's shape, and costs no upstream call", async () => {
    const { post, gateway } = await gatewayWithKey({ owner: "team", routers: ["rightsize/small-first"], models: ["small"] });
    const before = gateway.sim.requests.length;
    const router = await post({ model: "rightsize/auto", messages: hi });
    expect(router.status).toBe(403);
    expect(await router.json()).toEqual({
      error: {
        message: 'This key may not use the router "rightsize/auto". It may use: rightsize/small-first.',
        type: "permission_error",
        param: "model",
        code: "router_not_allowed",
      },
    });
    const model = await post({ model: "large", messages: hi });
    expect(model.status).toBe(403);
    expect(((await model.json()) as { error: { code: string } }).error.code).toBe("model_not_allowed");
    expect((await post({ model: "rightsize/small-first", messages: hi })).status).toBe(200);
    expect((await post({ model: "small", messages: hi })).status).toBe(200);
    expect(gateway.sim.requests.length - before).toBe(2);
  });

  it("over the requests-per-minute limit: 429 rate_limit_exceeded with retry-after; x-ratelimit-* headers on every answer", async () => {
    const { post, gateway, issued } = await gatewayWithKey({ owner: "team", rpm: 2, tpm: 100_000 });
    const first = await post({ model: "small", messages: hi, max_tokens: 50 });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect(first.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?[\d.]+s$/);
    expect(first.headers.get("x-ratelimit-limit-tokens")).toBe("100000");
    expect(Number(first.headers.get("x-ratelimit-remaining-tokens"))).toBeLessThan(100_000 - 50);
    const stream = await post({ model: "small", messages: hi, stream: true });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    await stream.text();
    const refused = await post({ model: "small", messages: hi });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const body = (await refused.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ code: "rate_limit_exceeded", type: "requests" });
    expect(body.error.message).toMatch(
      new RegExp(
        `^Rate limit reached for key ${issued.key.id} on requests per min \\(RPM\\): Limit 2, Used 2, Requested 1\\. Please try again in`,
      ),
    );
    const metrics = await (await fetch(`${gateway.gateway.url}/metrics`)).text();
    expect(metrics).toContain(`rightsize_limit_rejections_total{key="${issued.key.id}",limit="requests"} 1`);
    expect(metrics).toContain(`rightsize_key_requests_total{key="${issued.key.id}",status="429",code="rate_limit_exceeded"} 1`);
    expect(metrics).toMatch(new RegExp(`rightsize_key_requests_total\\{key="${issued.key.id}",status="200",code=""\\} 2`));
    expect(metrics).toMatch(new RegExp(`rightsize_key_cost_usd_total\\{key="${issued.key.id}"\\} [0-9.e-]+`));
    expect(metrics).toContain('rightsize_shared_state_connected{kind="in-process"} 1');
  });

  it("over the tokens-per-minute limit: 429 naming the tokens limit; one request larger than the limit is told so", async () => {
    const { post } = await gatewayWithKey({ owner: "team", tpm: 300 });
    // A call reserves its prompt + max_tokens, then settles at its real (small) count: so a second 250 fits after a 280.
    expect((await post({ model: "small", messages: hi, max_tokens: 280 })).status).toBe(200);
    expect((await post({ model: "small", messages: hi, max_tokens: 250 })).status).toBe(200);
    const refused = await post({ model: "small", messages: hi, max_tokens: 290 });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: "rate_limit_exceeded", type: "tokens" } });
    const huge = await post({ model: "small", messages: hi, max_tokens: 5_000 });
    expect(huge.status).toBe(429);
    expect(huge.headers.get("retry-after")).toBeNull();
    expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(
      /Request too large for key key_\w+ on tokens per min \(TPM\): Limit 300/,
    );
  });

  it("the budget: spend settles with the real cost; once reached, 429 budget_exceeded until the period ends", async () => {
    // small costs $0.1 / $0.2 per 1M tokens: a $0.000002 budget lasts a call or two.
    const { post, gateway } = await gatewayWithKey({ owner: "team", budget: { usd: 0.000002, period: "day" } });
    let answered = 0;
    let refused: Response | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      const response = await post({ model: "small", messages: hi, max_tokens: 10 });
      if (response.status === 200) {
        answered++;
        expect(response.headers.get("x-ratelimit-limit-budget-usd")).toBe("0.000002");
        await response.text();
      } else refused = response;
    }
    expect(answered).toBeGreaterThan(0);
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get("x-ratelimit-remaining-budget-usd")).toBe("0.000000");
    const body = (await refused?.json()) as { error: { code: string; type: string } };
    expect(body.error).toMatchObject({ code: "budget_exceeded", type: "insufficient_quota" });
    await gateway.store.flush();
    const spent = (await gateway.store.list()).filter((r) => r.status === 200).reduce((sum, r) => sum + r.costUsd, 0);
    // Sequential calls overshoot by at most the one call in flight when the budget was reached.
    const oneCall = (await gateway.store.list()).find((r) => r.status === 200)?.costUsd ?? 0;
    expect(spent).toBeLessThan(0.000002 + oneCall + 1e-12);
  });
  it("embeddings count against the same limits and access rules as chat", async () => {
    const { issued, gateway } = await gatewayWithKey({ owner: "team", rpm: 2, models: ["small"] });
    const embed = (model: string) =>
      fetch(`${gateway.gateway.url}/v1/embeddings`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${issued.secret}` },
        body: JSON.stringify({ model, input: "hello there" }),
      });
    const first = await embed("small");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect((await embed("large")).status).toBe(403);
    expect((await embed("small")).status).toBe(200);
    const refused = await embed("small");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limit_exceeded");
  });
});
