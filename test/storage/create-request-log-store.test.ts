import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRequestLogStore, resolveStoragePath } from "../../src/storage/create-request-log-store.js";
import { MemoryRequestLogStore } from "../../src/storage/memory-request-log-store.js";
import { NoopRequestLogStore } from "../../src/storage/noop-request-log-store.js";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeRecord, makeTempDir } from "./request-log-fixtures.js";

describe("createRequestLogStore", () => {
  it("returns a store that keeps nothing when storage is disabled", async () => {
    const store = await createRequestLogStore({ enabled: false, path: "ignored.db", logContent: true });
    expect(store).toBeInstanceOf(NoopRequestLogStore);
    store.append(makeRecord());
    await store.flush();
    expect(await store.count()).toBe(0);
    expect(await store.costSummary()).toEqual({ requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, byModel: [], byKey: [] });
  });

  it("returns the memory store for path :memory:, honouring logContent from the config", async () => {
    const store = await createRequestLogStore({ enabled: true, path: ":memory:", logContent: false });
    expect(store).toBeInstanceOf(MemoryRequestLogStore);
    store.append(makeRecord());
    expect((await store.list())[0]?.prompt).toBeNull();
  });

  it("opens a SQLite file at a path relative to the config file's folder", async () => {
    const dir = makeTempDir();
    const store = await createRequestLogStore(
      { enabled: true, path: "data/log.db", logContent: true },
      { baseDir: dir.path, secrets: ["sk-configured-upstream-key"] },
    );
    expect(store).toBeInstanceOf(SqliteRequestLogStore);
    store.append(makeRecord({ prompt: "my key is sk-configured-upstream-key" }));
    expect((await store.list())[0]?.prompt).toBe("my key is [REDACTED]");
    await store.close();
    expect(existsSync(dir.file("data/log.db"))).toBe(true);
    dir.remove();
  });

  it("resolves relative paths against the base folder and leaves absolute paths and :memory: alone", () => {
    expect(resolveStoragePath({ path: "a/b.db" }, "/etc/rightsize")).toBe("/etc/rightsize/a/b.db");
    expect(resolveStoragePath({ path: "/var/log.db" }, "/etc/rightsize")).toBe("/var/log.db");
    expect(resolveStoragePath({ path: ":memory:" }, "/etc/rightsize")).toBe(":memory:");
  });
});
