import { writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RequestLogOpenError } from "../../src/storage/request-log-open-error.js";
import { LATEST_VERSION, migrate } from "../../src/storage/sqlite/migrations.js";
import { openRequestLogReader } from "../../src/storage/sqlite/sqlite-request-log-reader.js";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import type { TempDir } from "./request-log-fixtures.js";
import { makeTempDir } from "./request-log-fixtures.js";

describe("opening a file that is not a usable request log", () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  async function expectBoth(file: string, message: RegExp): Promise<void> {
    await expect(SqliteRequestLogStore.open(file)).rejects.toThrow(RequestLogOpenError);
    await expect(SqliteRequestLogStore.open(file)).rejects.toThrow(message);
    await expect(openRequestLogReader(file)).rejects.toThrow(message);
  }

  it("names a file of random bytes as not a SQLite database", async () => {
    const file = dir.file("garbage.db");
    writeFileSync(file, Buffer.from("this is certainly not a sqlite database file, just text ".repeat(200)));
    await expectBoth(file, /garbage\.db: is not a SQLite database/);
  });

  it("names another application's SQLite database as not a rightsize request log", async () => {
    const file = dir.file("other.db");
    const db = new Database(file);
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
    db.close();
    await expectBoth(file, /other\.db: is a SQLite database but not a rightsize request log/);
  });

  it("refuses a log written by a newer rightsize", async () => {
    const file = dir.file("newer.db");
    const db = new Database(file);
    migrate(db);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    await expectBoth(file, /newer than this rightsize knows/);
  });

  it("tells the reader that a missing file has no request log yet", async () => {
    await expect(openRequestLogReader(dir.file("absent.db"))).rejects.toThrow(/absent\.db: no request log here/);
  });

  it("reports one bad record in a batch without losing the others", async () => {
    const errors: Error[] = [];
    const store = await SqliteRequestLogStore.open(dir.file("log.db"), { onError: (error) => errors.push(error) });
    const { makeRecord } = await import("./request-log-fixtures.js");
    store.append(makeRecord({ id: "good-1" }));
    store.append({ ...makeRecord({ id: "bad" }), requestedModel: null as unknown as string });
    store.append(makeRecord({ id: "good-2" }));
    await store.flush();
    expect((await store.list()).map((r) => r.id).sort()).toEqual(["good-1", "good-2"]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/request bad was not logged: NOT NULL/)]);
    await store.close();
  });
});
