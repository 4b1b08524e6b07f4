import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RedisSharedStateOptions } from "../../src/state/redis/redis-shared-state.js";
import { RedisSharedState } from "../../src/state/redis/redis-shared-state.js";
import type { SharedState } from "../../src/state/shared-state.js";
import type { SharedStateStatus } from "../../src/state/shared-state-status.js";
import { ManualClock } from "../support/manual-clock.js";
import { deleteKeys, redisAvailable, redisTarget, redisUrlOnPort, TEST_REDIS_URL, uniquePrefix } from "../support/redis-test-server.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { POLICY } from "./shared-state-conformance.js";

const available = await redisAvailable();

/** Resolves once the state's status satisfies `predicate` (now or on a later change). */
function statusWhere(state: SharedState, predicate: (status: SharedStateStatus) => boolean): Promise<SharedStateStatus> {
  const now = state.status();
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const stop = state.onStatus((status) => {
      if (!predicate(status)) return;
      stop();
      resolve(status);
    });
  });
}

const requests = (limit: number, failClosed = false) => ({ name: "requests", limit, windowMs: 60_000, cost: 1, failClosed });

describe.skipIf(!available)("Redis unreachable: the state keeps working on local state and recovers", () => {
  let clock: ManualClock;
  let prefix: string;
  let proxy: TcpProxy | undefined;
  const opened: RedisSharedState[] = [];
  const open = async (url: string, extra: Partial<RedisSharedStateOptions> = {}) => {
    const state = await RedisSharedState.open({
      url,
      prefix,
      commandTimeoutMs: 500,
      reconnectMinMs: 10,
      reconnectMaxMs: 50,
      breaker: POLICY,
      now: clock.now,
      ...extra,
    });
    opened.push(state);
    return state;
  };
  beforeEach(() => {
    clock = new ManualClock();
    prefix = uniquePrefix("down");
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((state) => state.close()));
    await proxy?.close();
    proxy = undefined;
    await deleteKeys(prefix);
  });

  it("starts degraded where nothing listens, fails open (or closed, per limit) on local state, and connects once Redis appears", async () => {
    const port = await TcpProxy.freePort();
    const state = await open(redisUrlOnPort(port));
    expect(state.status()).toMatchObject({ kind: "redis", state: "degraded", lastError: expect.stringMatching(/ECONNREFUSED/) });

    const open1 = await state.quotas.reserve({ subject: "k", rateLimits: [requests(2)] });
    expect(open1).toMatchObject({ allowed: true, shared: false });
    const closed = await state.quotas.reserve({ subject: "k", rateLimits: [requests(100, true)] });
    expect(closed).toMatchObject({ allowed: false, rejection: { kind: "unavailable", name: "requests" }, shared: false });
    for (let i = 0; i < 3; i++) {
      const pass = await state.breakers.acquire("m");
      if (!pass.allowed) throw new Error("expected a pass");
      expect(pass.shared).toBe(false);
      await state.breakers.onFailure("m", pass);
    }
    expect(state.breakers.view("m").state).toBe("open");
    await expect(state.artifacts.get("router")).rejects.toThrow(/Redis is unreachable/);

    proxy = await TcpProxy.start(redisTarget(), port);
    const up = await statusWhere(state, (s) => s.state === "connected");
    expect(up.reconnects).toBe(0);
    expect(await state.quotas.reserve({ subject: "k", rateLimits: [requests(100, true)] })).toMatchObject({ allowed: true, shared: true });
    expect(state.breakers.view("m").state).toBe("closed");
  });

  it("falls back when Redis is cut mid-run, then reconnects, applies the settlements it kept and catches up on what it missed", async () => {
    proxy = await TcpProxy.start(redisTarget());
    const a = await open(redisUrlOnPort(proxy.port));
    const b = await open(TEST_REDIS_URL);
    const tokens = (cost: number) => ({ name: "tokens", limit: 1_000, windowMs: 60_000, cost });
    const heard: (string | null)[] = [];
    a.artifacts.watch("router", (version) => heard.push(version));
    await a.artifacts.set("router", "v1");
    // The change reaches the watcher through pub/sub: let it arrive before the link is cut.
    await vi.waitFor(() => expect(heard).toEqual(["v1"]));
    const before = await a.quotas.reserve({ subject: "k", rateLimits: [tokens(500)] });
    expect(before).toMatchObject({ allowed: true, shared: true });

    await proxy.cut();
    await statusWhere(a, (s) => s.state === "degraded");
    const during = await a.quotas.reserve({ subject: "k", rateLimits: [tokens(100)] });
    expect(during).toMatchObject({ allowed: true, shared: false, rateLimits: [{ remaining: 900 }] });
    await a.quotas.settle(before.reservation!, { costs: { tokens: 50 } });
    expect(a.status().pendingSettlements).toBe(1);
    await b.artifacts.set("router", "v2");
    for (let i = 0; i < 3; i++) {
      const pass = await b.breakers.acquire("m");
      if (!pass.allowed) throw new Error("expected a pass");
      await b.breakers.onFailure("m", pass);
    }

    await proxy.restore();
    const back = await statusWhere(a, (s) => s.state === "connected" && s.pendingSettlements === 0);
    expect(back.reconnects).toBe(1);
    await a.sync();
    await a.artifacts.get("router");
    expect(a.artifacts.peek("router")).toBe("v2");
    expect(heard).toEqual(["v1", "v2"]);
    // The settlement made while cut off gave back 450 of the 500 reserved tokens.
    expect((await b.quotas.reserve({ subject: "k", rateLimits: [tokens(1)] })).rateLimits[0]?.remaining).toBe(949);
    expect(await a.breakers.acquire("m")).toMatchObject({ allowed: false });
  });

  it("treats a hung Redis like a down one: one call waits commandTimeoutMs, the next ones go local at once, until a ping answers", async () => {
    proxy = await TcpProxy.start(redisTarget());
    const state = await open(redisUrlOnPort(proxy.port), { commandTimeoutMs: 100 });
    expect((await state.quotas.reserve({ subject: "k", rateLimits: [requests(5)] })).shared).toBe(true);
    proxy.stall();
    expect(await state.quotas.reserve({ subject: "k", rateLimits: [requests(5)] })).toMatchObject({ allowed: true, shared: false });
    expect(state.status()).toMatchObject({ state: "degraded", lastError: expect.stringMatching(/timed out/i) });
    const started = performance.now();
    expect((await state.quotas.reserve({ subject: "k", rateLimits: [requests(5)] })).shared).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
    await proxy.cut();
    await proxy.restore();
    await statusWhere(state, (s) => s.state === "connected");
    expect((await state.quotas.reserve({ subject: "k", rateLimits: [requests(5)] })).shared).toBe(true);
  });
});
