import { afterEach, describe, expect, it } from "vitest";
import { RedisSharedState } from "../../src/state/redis/redis-shared-state.js";
import { MemoryKeyStore } from "../../src/storage/keys/memory-key-store.js";
import { deleteKeys, redisAvailable, redisTarget, redisUrlOnPort, TEST_REDIS_URL, uniquePrefix } from "../support/redis-test-server.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";
import { TcpProxy } from "../support/tcp-proxy.js";

const available = await redisAvailable();
const hi = [{ role: "user" as const, content: "hi" }];

describe.skipIf(!available)("two gateways on one Redis: limits, budgets and breakers hold across both", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function twoGateways(options: { failClosed?: ("requests" | "tokens" | "budget")[]; redisUrl?: string; cooldownMs?: number } = {}) {
    const cooldownMs = options.cooldownMs ?? 60_000;
    const prefix = uniquePrefix("gw");
    const keyStore = new MemoryKeyStore();
    const gateways: TestGateway[] = [];
    for (let i = 0; i < 2; i++) {
      const state = await RedisSharedState.open({
        url: options.redisUrl ?? TEST_REDIS_URL,
        prefix,
        commandTimeoutMs: 300,
        reconnectMinMs: 20,
        reconnectMaxMs: 100,
        breaker: { failureThreshold: 2, cooldownMs },
      });
      const t = await startTestGateway({
        keyStore,
        state,
        edit: (config) => {
          config.server = { ...config.server, virtualKeys: { failClosed: options.failClosed ?? [] } };
          config.breaker = { failureThreshold: 2, cooldownMs };
          config.retry = { maxAttempts: 1 };
        },
      });
      gateways.push(t);
      closers.push(() => t.close());
    }
    closers.push(async () => void (await deleteKeys(prefix)));
    const post = (g: number, secret: string, body: Record<string, unknown> = { model: "small", messages: hi }) =>
      fetch(`${gateways[g]?.gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
        body: JSON.stringify(body),
      });
    return { gateways, keyStore, post };
  }

  it("a key's requests per minute are counted across both gateways", async () => {
    const { keyStore, post } = await twoGateways();
    const { secret } = await keyStore.create({ owner: "o", rpm: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post(i % 2, secret)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
  });

  it("concurrent calls on both gateways overshoot a budget by at most the calls in flight when it was reached", async () => {
    const { keyStore, post, gateways } = await twoGateways();
    const budget = 0.00002;
    const { secret, key } = await keyStore.create({ owner: "o", budget: { usd: budget, period: "month" } });
    const inFlight = 8;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => i).map(async (i) => {
        // eight clients at a time, spread over both gateways
        await new Promise((resolve) => setTimeout(resolve, Math.floor(i / inFlight) * 15));
        return (await post(i % 2, secret, { model: "small", messages: hi, max_tokens: 20 })).status;
      }),
    );
    expect(results).toContain(429);
    let spent = 0;
    let dearest = 0;
    for (const t of gateways) {
      await t.store.flush();
      for (const row of await t.store.list({ limit: 1_000, callerId: key.id })) {
        spent += row.costUsd;
        dearest = Math.max(dearest, row.costUsd);
      }
    }
    // Reserved estimates exceed real costs here, so in fact the budget is not overshot at all.
    expect(spent).toBeLessThanOrEqual(budget + inFlight * dearest);
  });

  it("failures on one gateway open the model's circuit on the other", async () => {
    const { keyStore, post, gateways } = await twoGateways();
    const { secret } = await keyStore.create({ owner: "o" });
    const [a, b] = gateways as [TestGateway, TestGateway];
    a.sim.script("server-error", "server-error");
    expect((await post(0, secret)).status).toBeGreaterThanOrEqual(500);
    expect((await post(0, secret)).status).toBeGreaterThanOrEqual(500);
    // Gateway b never saw a failure; the shared circuit refuses its call without an upstream request.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = b.sim.requests.length;
    const refused = await post(1, secret);
    expect(refused.status).toBe(503);
    expect(b.sim.requests.length).toBe(before);
  });

  it("after the cooldown exactly one gateway probes the model; its success closes the circuit on both", async () => {
    const { keyStore, post, gateways } = await twoGateways({ cooldownMs: 300 });
    const { secret } = await keyStore.create({ owner: "o" });
    const [a, b] = gateways as [TestGateway, TestGateway];
    a.sim.script("server-error", "server-error");
    await post(0, secret);
    await post(0, secret);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const upstreamCalls = () => a.sim.requests.length + b.sim.requests.length;
    const before = upstreamCalls();
    const statuses: number[] = [];
    for (let i = 0; i < 20 && !statuses.includes(200); i++) {
      statuses.push((await post(i % 2, secret)).status);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Refused (503) until one gateway holds the probe; that one call reached the upstream and closed the circuit.
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(0, -1).every((s) => s === 503)).toBe(true);
    expect(upstreamCalls() - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await post(0, secret)).status).toBe(200);
    expect((await post(1, secret)).status).toBe(200);
  });

  it("Redis unreachable: fail-open limits count on each gateway alone, fail-closed ones refuse with 503; /metrics says so", async () => {
    const proxy = await TcpProxy.start(redisTarget());
    closers.push(() => proxy.close());
    const { keyStore, post, gateways } = await twoGateways({ failClosed: ["budget"], redisUrl: redisUrlOnPort(proxy.port) });
    const open = await keyStore.create({ owner: "open", rpm: 3 });
    const closed = await keyStore.create({ owner: "closed", budget: { usd: 100, period: "day" } });
    await proxy.cut();
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline && !(await metricsOf(gateways[0])).includes('rightsize_shared_state_connected{kind="redis"} 0')) {
      await post(0, open.secret);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const metrics = await metricsOf(gateways[0]);
    expect(metrics).toContain('rightsize_shared_state_connected{kind="redis"} 0');
    const refused = await post(0, closed.secret);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: "limits_unavailable" } });
    // gateway b counts the open key on its own: up to 3 there too
    await gateways[1]?.gateway.gateway.state.quotas.reserve({ subject: "warm", rateLimits: [] });
    const onB: number[] = [];
    for (let i = 0; i < 4; i++) onB.push((await post(1, open.secret)).status);
    expect(onB.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    await proxy.restore();
  });
});

async function metricsOf(t: TestGateway | undefined): Promise<string> {
  return (await fetch(`${t?.gateway.url}/metrics`)).text();
}
