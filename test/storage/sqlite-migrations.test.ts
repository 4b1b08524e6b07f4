import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS, migrate } from "../../src/storage/sqlite/migrations.js";
import { createRecordInserter } from "../../src/storage/sqlite/sqlite-request-log-queries.js";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeFallbackRecord, makeRecord, makeTempDir } from "./request-log-fixtures.js";

function indexNames(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((row) => (row as { name: string }).name);
}

/** Every index of the latest schema. */
const ALL_INDICES = [
  "attempts_model",
  "feedback_episode",
  "feedback_request",
  "requests_episode",
  "requests_model_time",
  "requests_time",
  "shadow_request",
  "shadow_time",
];

describe("request log migrations", () => {
  it("are ordered by version without gaps, starting at 1", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it("create the whole schema on an empty database and are idempotent", () => {
    const db = new Database(":memory:");
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    expect(db.pragma("user_version", { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma("application_id", { simple: true })).toBe(APPLICATION_ID);
    expect(indexNames(db)).toEqual(ALL_INDICES);
    expect(db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it("upgrade a version-1 log with data to the latest version when the store opens it", async () => {
    const dir = makeTempDir();
    const file = dir.file("old.db");
    const old = new Database(file);
    expect(migrate(old, 1)).toEqual([1]);
    createRecordInserter(old)(makeFallbackRecord());
    expect(indexNames(old)).toEqual(["requests_time"]);
    old.close();

    const store = await SqliteRequestLogStore.open(file);
    store.append(makeRecord({ id: "after-upgrade", time: makeRecord().time + 1 }));
    expect((await store.list()).map((r) => r.id)).toEqual(["after-upgrade", "req-fallback"]);
    expect((await store.list({ model: "medium" }))[0]).toEqual(makeFallbackRecord());
    await store.close();

    const upgraded = new Database(file, { readonly: true });
    expect(upgraded.pragma("user_version", { simple: true })).toBe(LATEST_VERSION);
    expect(upgraded.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(indexNames(upgraded)).toEqual(ALL_INDICES);
    upgraded.close();
    dir.remove();
  });
});
