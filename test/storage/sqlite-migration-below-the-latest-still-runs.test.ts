import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../src/storage/sqlite/migrations.js";

it("a migration recorded as not applied runs even when a newer one already has (two branches merged)", () => {
  const db = new Database(":memory:");
  const latest = MIGRATIONS.length;
  migrate(db);
  // As if the database had been migrated by a build without migration 4 (merged in later).
  db.prepare("DELETE FROM schema_migrations WHERE version = 4").run();
  expect(db.pragma("user_version", { simple: true })).toBe(latest);
  expect(migrate(db)).toEqual([4]);
  expect(db.pragma("user_version", { simple: true })).toBe(latest);
  expect(db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
  db.close();
});
