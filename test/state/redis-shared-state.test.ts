import { describe, expect, it } from "vitest";
import { RedisSharedState } from "../../src/state/redis/redis-shared-state.js";
import { deleteKeys, keysUnder, redisAvailable, TEST_REDIS_URL, uniquePrefix } from "../support/redis-test-server.js";
import { ManualClock } from "../support/manual-clock.js";
import { describeSharedStateConformance, POLICY } from "./shared-state-conformance.js";

const available = await redisAvailable();
const options = { url: TEST_REDIS_URL, commandTimeoutMs: 1_000, reconnectMinMs: 20, reconnectMaxMs: 200, breaker: POLICY };

describe.skipIf(!available)("Redis shared state", () => {
  describeSharedStateConformance("RedisSharedState", async (clock) => {
    const prefix = uniquePrefix("conf");
    const a = await RedisSharedState.open({ ...options, prefix, now: clock.now });
    const b = await RedisSharedState.open({ ...options, prefix, now: clock.now });
    return {
      a,
      b,
      heard: async () => {
        await Promise.all([a.sync(), b.sync()]);
      },
      cleanup: async () => {
        await Promise.all([a.close(), b.close()]);
        await deleteKeys(prefix);
      },
    };
  });

  it("keeps every key under its prefix, with an expiry, and a closed circuit costs no key at all", async () => {
    const clock = new ManualClock();
    const prefix = uniquePrefix("keys");
    const state = await RedisSharedState.open({ ...options, prefix, now: clock.now });
    await state.quotas.reserve({
      subject: "team {a}",
      rateLimits: [{ name: "requests", limit: 5, windowMs: 60_000, cost: 1 }],
      budgets: [{ name: "daily", limitUsd: 1, period: "day", estimateUsd: 0.1 }],
    });
    await state.breakers.onSuccess("gpt-4o", await state.breakers.acquire("gpt-4o").then((p) => (p.allowed ? p : Promise.reject())));
    await state.artifacts.set("router/auto", "v1");
    expect(await keysUnder(prefix)).toEqual([
      `${prefix}artifact:router%2Fauto`,
      `${prefix}quota:{team%20%7Ba%7D}:budget:daily:d2027-01-15`,
      `${prefix}quota:{team%20%7Ba%7D}:rate:requests:60000:${Math.floor(clock.time / 60_000)}`,
    ]);
    await state.close();
    expect(await deleteKeys(prefix)).toBe(3);
  });
});
