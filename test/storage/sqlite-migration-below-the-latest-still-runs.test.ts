import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../src/storage/sqlite/migrations.js";

it("a migration recorded as not applied runs even when a newer one already has (two branches merged)", () => {
  const db = new Database(":memory:");
  const latest = MIGRATIONS.length;
  // As if the database had been migrated by a build without migration 4 (merged in later): 1–3, then 5.
  migrate(db, 3);
  const five = MIGRATIONS.find((m) => m.version === 5);
  if (!five) throw new Error("expected a migration 5");
  db.exec(five.sql);
  db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(5, five.name, Date.now());
  db.pragma("user_version = 5");
  expect(migrate(db)).toEqual([4, ...MIGRATIONS.filter((m) => m.version > 5).map((m) => m.version)]);
  expect(db.pragma("user_version", { simple: true })).toBe(latest);
  expect(db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
  db.close();
});
