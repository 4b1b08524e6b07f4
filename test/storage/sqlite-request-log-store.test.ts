import type { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { openRequestLogReader } from "../../src/storage/sqlite/sqlite-request-log-reader.js";
import { describeFeedbackStoreConformance } from "./feedback-store-conformance.js";
import { describeRequestLogStoreConformance, type StoreHarness } from "./request-log-store-conformance.js";
import { makeFallbackRecord, makeRecord, makeTempDir } from "./request-log-fixtures.js";

async function sqliteRequestLogStoreHarness(): Promise<StoreHarness> {
  const dir = makeTempDir();
  const file = dir.file("log.db");
  const errors: Error[] = [];
  const store = await SqliteRequestLogStore.open(file, { onError: (error) => errors.push(error) });
  return {
    store,
    errors,
    reopen: () => openRequestLogReader(file),
    cleanup: async () => {
      await store.close();
      dir.remove();
    },
  };
}

describeRequestLogStoreConformance("SqliteRequestLogStore", sqliteRequestLogStoreHarness);
describeFeedbackStoreConformance("SqliteRequestLogStore", sqliteRequestLogStoreHarness);

describe("SqliteRequestLogStore", () => {
  it("persists across reopening the file, and the read-only reader sees the same records", async () => {
    const dir = makeTempDir();
    const file = dir.file("nested/folder/log.db");
    const first = await SqliteRequestLogStore.open(file);
    first.append(makeFallbackRecord());
    await first.close();
    const second = await SqliteRequestLogStore.open(file);
    second.append(makeRecord({ id: "second", time: makeRecord().time + 1 }));
    await second.close();
    const reader = await openRequestLogReader(file);
    expect((await reader.list()).map((r) => r.id)).toEqual(["second", "req-fallback"]);
    expect((await reader.list({ limit: 1, since: 0, model: "medium" }))[0]).toEqual(makeFallbackRecord());
    await reader.close();
    dir.remove();
  });

  it("redacts secrets in the worker before writing and drops content when logContent is off", async () => {
    const dir = makeTempDir();
    const file = dir.file("log.db");
    const store = await SqliteRequestLogStore.open(file, { secrets: ["upstream-secret-1"], logContent: false });
    store.append(
      makeRecord({
        error: "upstream said: invalid key upstream-secret-1",
        attempts: [{ model: "small", step: "route", outcome: "error", error: "Bearer abcdefghijkl rejected", latencyMs: 3 }],
      }),
    );
    await store.close();
    const reader = await openRequestLogReader(file);
    const [stored] = await reader.list();
    expect(stored).toMatchObject({ error: "upstream said: invalid key [REDACTED]", prompt: null, answer: null });
    expect(stored?.attempts[0]?.error).toBe("Bearer [REDACTED] rejected");
    await reader.close();
    dir.remove();
  });

  it("drops and reports appends beyond maxBacklog instead of growing without bound", async () => {
    const dir = makeTempDir();
    const errors: Error[] = [];
    const store = await SqliteRequestLogStore.open(dir.file("log.db"), { maxBacklog: 5, onError: (e) => errors.push(e) });
    for (let i = 0; i < 8; i++) store.append(makeRecord({ id: `b${i}` }));
    expect(store.backlog).toBe(5);
    await store.flush();
    expect(store.backlog).toBe(0);
    expect(await store.count()).toBe(5);
    expect(errors.map((e) => e.message)).toEqual(["request log backlog full; 3 request records were not logged"]);
    await store.close();
    dir.remove();
  });

  it("survives its worker dying: reports the loss, later appends are reported, reads reject, close resolves", async () => {
    const dir = makeTempDir();
    const errors: Error[] = [];
    const store = await SqliteRequestLogStore.open(dir.file("log.db"), { onError: (e) => errors.push(e) });
    store.append(makeRecord({ id: "queued" }));
    await (store["worker"] as Worker).terminate();
    expect(errors.map((e) => e.message)).toEqual(["request log worker exited; 1 request records were not logged"]);
    store.append(makeRecord({ id: "after" }));
    expect(errors[1]?.message).toBe("request log is unavailable; request after was not logged");
    await store.flush();
    await expect(store.list()).rejects.toThrow(/worker exited/);
    await store.close();
    dir.remove();
  });
});
