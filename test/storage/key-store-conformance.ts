import { afterEach, describe, expect, it } from "vitest";
import { hashKeySecret } from "../../src/storage/keys/key-secret.js";
import type { KeyStore } from "../../src/storage/keys/key-store.js";

export interface KeyStoreFixture {
  store: KeyStore;
  /** The same store opened again (another process or gateway on the same database). */
  reopen: () => Promise<KeyStore>;
  cleanup: () => Promise<void>;
}

/** The KeyStore contract, run against memory, SQLite and PostgreSQL alike. */
export function describeKeyStoreConformance(name: string, open: () => Promise<KeyStoreFixture>, options: { persistent: boolean }): void {
  describe(`${name} (KeyStore conformance)`, () => {
    let fixture: KeyStoreFixture | undefined;
    const setup = async () => {
      fixture = await open();
      return fixture;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it("creates a key whose secret is returned once and found only by its hash, with every limit kept", async () => {
      const { store } = await setup();
      const issued = await store.create(
        {
          owner: "team-search",
          routers: ["rightsize/auto"],
          models: ["small", "large"],
          rpm: 60,
          tpm: 10_000,
          budget: { usd: 2.5, period: "day" },
        },
        1_000,
      );
      expect(issued.secret).toMatch(/^rs-[A-Za-z0-9_-]{43}$/);
      expect(issued.key).toEqual({
        id: expect.stringMatching(/^key_[0-9a-f]{12}$/),
        owner: "team-search",
        hint: `rs-${issued.secret.slice(3, 7)}…${issued.secret.slice(-4)}`,
        routers: ["rightsize/auto"],
        models: ["small", "large"],
        rpm: 60,
        tpm: 10_000,
        budget: { usd: 2.5, period: "day" },
        createdAt: 1_000,
        revokedAt: null,
        rotatedAt: null,
      });
      expect(JSON.stringify(issued.key)).not.toContain(issued.secret.slice(3));
      expect(await store.findBySecretHash(hashKeySecret(issued.secret))).toEqual(issued.key);
      expect(await store.findBySecretHash(hashKeySecret(`${issued.secret}x`))).toBeNull();
      expect(await store.findBySecretHash(issued.secret)).toBeNull();
      expect(await store.get(issued.key.id)).toEqual(issued.key);
      expect(await store.get("key_000000000000")).toBeNull();
    });

    it("leaves unset limits null and lists keys oldest first", async () => {
      const { store } = await setup();
      const b = await store.create({ owner: "b" }, 2_000);
      const a = await store.create({ owner: "a", budget: { usd: 100, period: "month" } }, 1_000);
      expect(b.key).toMatchObject({ routers: null, models: null, rpm: null, tpm: null, budget: null });
      expect((await store.list()).map((k) => k.owner)).toEqual(["a", "b"]);
      expect((await store.list())[0]).toEqual(a.key);
      expect(await store.count()).toEqual({ active: 2, total: 2 });
    });

    it("refuses bad limits, naming the field", async () => {
      const { store } = await setup();
      await expect(store.create({ owner: "x", rpm: 0 })).rejects.toThrow(/rpm must be a positive integer/);
      await expect(store.create({ owner: "x", tpm: 1.5 })).rejects.toThrow(/tpm must be a positive integer/);
      await expect(store.create({ owner: " " })).rejects.toThrow(/owner/);
      await expect(store.create({ owner: "x", budget: { usd: -1, period: "day" } })).rejects.toThrow(/budget/);
      expect(await store.list()).toEqual([]);
    });

    it("a revoked key's secret stops working; it stays listed with its revocation time, set once", async () => {
      const { store } = await setup();
      const issued = await store.create({ owner: "o" }, 1_000);
      const revoked = await store.revoke(issued.key.id, 5_000);
      expect(revoked).toEqual({ ...issued.key, revokedAt: 5_000 });
      expect((await store.revoke(issued.key.id, 9_000))?.revokedAt).toBe(5_000);
      expect(await store.findBySecretHash(hashKeySecret(issued.secret))).toBeNull();
      expect(await store.list()).toEqual([revoked]);
      expect(await store.count()).toEqual({ active: 0, total: 1 });
      expect(await store.revoke("key_ffffffffffff")).toBeNull();
      expect(await store.rotate(issued.key.id)).toBeNull();
    });

    it("rotation gives a new secret to the same key; the old one works only during the grace period", async () => {
      const { store } = await setup();
      const issued = await store.create({ owner: "o", rpm: 5 }, 1_000);
      const rotated = await store.rotate(issued.key.id, { now: 10_000, graceMs: 60_000 });
      expect(rotated?.secret).not.toBe(issued.secret);
      expect(rotated?.key).toEqual({ ...issued.key, hint: expect.stringMatching(/^rs-/), rotatedAt: 10_000 });
      const oldHash = hashKeySecret(issued.secret);
      const newHash = hashKeySecret(rotated?.secret ?? "");
      expect((await store.findBySecretHash(newHash, 10_001))?.id).toBe(issued.key.id);
      expect((await store.findBySecretHash(oldHash, 69_999))?.id).toBe(issued.key.id);
      expect(await store.findBySecretHash(oldHash, 70_000)).toBeNull();
      const again = await store.rotate(issued.key.id, { now: 20_000 });
      expect(await store.findBySecretHash(newHash, 20_001)).toBeNull();
      expect((await store.findBySecretHash(hashKeySecret(again?.secret ?? ""), 20_001))?.id).toBe(issued.key.id);
      expect(await store.rotate("key_ffffffffffff")).toBeNull();
    });

    it.runIf(options.persistent)("keys outlive the store: another process on the same database sees them", async () => {
      const { store, reopen } = await setup();
      const issued = await store.create({ owner: "persisted", tpm: 500 });
      const other = await reopen();
      try {
        expect(await other.findBySecretHash(hashKeySecret(issued.secret))).toEqual(issued.key);
        await other.revoke(issued.key.id);
        expect(await store.findBySecretHash(hashKeySecret(issued.secret))).toBeNull();
      } finally {
        await other.close();
      }
    });
  });
}
