import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load-config.js";
import { createSharedState } from "../../src/state/create-shared-state.js";
import { InProcessSharedState } from "../../src/state/in-process/in-process-shared-state.js";
import { RedisSharedState } from "../../src/state/redis/redis-shared-state.js";
import { deleteKeys, redisAvailable, TEST_REDIS_URL, uniquePrefix } from "../support/redis-test-server.js";

const available = await redisAvailable();
const model = { id: "m", provider: "openai-compatible", model: "m", baseUrl: "http://127.0.0.1:1/v1" };

describe("state in the config", () => {
  it("defaults to in-process state, so a config without a state section behaves as one gateway always has", async () => {
    const config = parseConfig({ models: [model] });
    expect(config.state).toMatchObject({ kind: "in-process", prefix: "rightsize:", commandTimeoutMs: 250 });
    const state = await createSharedState(config.state, config.breaker);
    expect(state).toBeInstanceOf(InProcessSharedState);
    expect(state.status()).toMatchObject({ kind: "in-process", state: "connected" });
    await state.close();
  });

  it("asks for a url with kind redis, and refuses one with in-process state", () => {
    expect(() => parseConfig({ models: [model], state: { kind: "redis" } })).toThrow(/state\.url: kind: redis needs url/);
    expect(() => parseConfig({ models: [model], state: { url: "redis://h:6379" } })).toThrow(/state\.url: url is for kind: redis/);
    expect(() => parseConfig({ models: [model], state: { kind: "redis", url: "http://h" } })).toThrow(/redis:\/\/ or rediss:\/\//);
  });

  it.skipIf(!available)("opens Redis state with the configured prefix and breaker policy", async () => {
    const prefix = uniquePrefix("factory");
    const config = parseConfig({
      models: [model],
      state: { kind: "redis", url: TEST_REDIS_URL, prefix },
      breaker: { failureThreshold: 1 },
    });
    const state = await createSharedState(config.state, config.breaker);
    expect(state).toBeInstanceOf(RedisSharedState);
    expect(state.status()).toMatchObject({ kind: "redis", state: "connected" });
    const pass = await state.breakers.acquire("m");
    if (!pass.allowed) throw new Error("expected a pass");
    await state.breakers.onFailure("m", pass);
    expect(state.breakers.view("m").state).toBe("open");
    await state.close();
    expect(await deleteKeys(prefix)).toBe(1);
  });
});
