import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import { ClientKeys } from "../../src/server/client-keys.js";
import type { KeyStore } from "../../src/storage/keys/key-store.js";
import { MemoryKeyStore } from "../../src/storage/keys/memory-key-store.js";
import { ManualClock } from "../support/manual-clock.js";

function config(apiKeys: unknown[] = []) {
  return parseGatewayConfig(
    { server: { apiKeys }, models: [{ id: "m", provider: "openai-compatible", model: "m", baseUrl: "http://127.0.0.1:1/v1" }] },
    { env: {} },
  );
}

/** A store whose reads can be made to fail, as PostgreSQL down would. */
class FlakyStore extends MemoryKeyStore {
  failing = false;
  lookups = 0;
  override async findBySecretHash(hash: string, now?: number) {
    this.lookups++;
    if (this.failing) throw new Error("connection refused");
    return super.findBySecretHash(hash, now);
  }
  override async count() {
    if (this.failing) throw new Error("connection refused");
    return super.count();
  }
}

const bearer = (secret: string) => `Bearer ${secret}`;

describe("ClientKeys: config keys and stored keys, looked up by hash and cached", () => {
  it("no key anywhere: no auth; a config key turns auth on and carries its limits", async () => {
    const open = new ClientKeys(config(), new MemoryKeyStore(), { cacheMs: 1_000 });
    await open.start();
    expect(open.required).toBe(false);
    expect(await open.identify(undefined)).toBeUndefined();
    const keyed = new ClientKeys(config([{ id: "svc", key: "sk-config", rpm: 10 }]), new MemoryKeyStore(), { cacheMs: 1_000 });
    await keyed.start();
    expect(keyed.required).toBe(true);
    expect(keyed.identify(bearer("sk-config"))).toMatchObject({ id: "svc", limited: true, limits: { rpm: 10, tpm: null } });
    expect(() => keyed.identify(undefined)).toThrow(/didn't provide an API key/);
    await expect(keyed.identify(bearer("sk-other"))).rejects.toThrow(/Incorrect API key/);
    open.close();
    keyed.close();
  });

  it("a stored key is cached for cacheMs: a revocation takes effect when the cache entry expires", async () => {
    const clock = new ManualClock();
    const store = new FlakyStore();
    const { secret, key } = await store.create({ owner: "o", tpm: 100 }, clock.now());
    const keys = new ClientKeys(config(), store, { cacheMs: 5_000, now: clock.now });
    await keys.start();
    expect(keys.required).toBe(true);
    expect(await keys.identify(bearer(secret))).toMatchObject({ id: key.id, limits: { tpm: 100 } });
    await store.revoke(key.id, clock.now());
    clock.advance(4_999);
    expect(keys.identify(bearer(secret))).toMatchObject({ id: key.id });
    expect(store.lookups).toBe(1);
    clock.advance(1);
    await expect(keys.identify(bearer(secret))).rejects.toThrow(/Incorrect API key/);
    keys.close();
  });

  it("store unreachable: cached keys keep working, an uncached one gets a 503; unreadable at start means auth required", async () => {
    const clock = new ManualClock();
    const store = new FlakyStore();
    const a = await store.create({ owner: "a" });
    const b = await store.create({ owner: "b" });
    const errors: Error[] = [];
    const keys = new ClientKeys(config(), store, { cacheMs: 1_000, now: clock.now, onError: (e) => errors.push(e) });
    await keys.start();
    await keys.identify(bearer(a.secret));
    store.failing = true;
    clock.advance(2_000);
    expect(await keys.identify(bearer(a.secret))).toMatchObject({ id: a.key.id });
    await expect(keys.identify(bearer(b.secret))).rejects.toMatchObject({ status: 503, code: "key_store_unavailable" });
    expect(errors.map((e) => e.message)).toEqual(["connection refused", "connection refused"]);
    keys.close();

    const down = new FlakyStore();
    down.failing = true;
    const cold = new ClientKeys(config(), down as KeyStore, { cacheMs: 1_000 });
    await cold.start();
    expect(cold.required).toBe(true);
    cold.close();
  });

  it("before any key exists, a key created since is honoured at once and unknown bearers pass as anonymous", async () => {
    const store = new MemoryKeyStore();
    const keys = new ClientKeys(config(), store, { cacheMs: 60_000 });
    await keys.start();
    expect(await keys.identify(bearer("sk-anything"))).toBeUndefined();
    const { secret, key } = await store.create({ owner: "late", rpm: 1 });
    expect(await keys.identify(bearer(secret))).toMatchObject({ id: key.id, limited: true });
    keys.close();
  });
});
