import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeRecord, makeTempDir } from "./request-log-fixtures.js";

it("writes 10,000 appended records exactly once each: none lost, no duplicates", async () => {
  const dir = makeTempDir();
  const file = dir.file("log.db");
  const errors: Error[] = [];
  const store = await SqliteRequestLogStore.open(file, { onError: (error) => errors.push(error) });
  const base = makeRecord().time;
  for (let i = 0; i < 10_000; i++) {
    store.append(makeRecord({ id: `r${i}`, time: base + i, promptTokens: i }));
    if (i === 5_000) await store.flush(); // a flush in the middle must not duplicate or drop anything
  }
  await store.flush();
  expect(await store.count()).toBe(10_000);
  await store.close();
  expect(errors).toEqual([]);

  const db = new Database(file, { readonly: true });
  const requests = db.prepare("SELECT count(*) AS n, count(DISTINCT id) AS ids, sum(prompt_tokens) AS tokens FROM requests").get();
  expect(requests).toEqual({ n: 10_000, ids: 10_000, tokens: (9_999 * 10_000) / 2 });
  expect(db.prepare("SELECT count(*) AS n FROM attempts").get()).toEqual({ n: 10_000 });
  const missing = db.prepare("SELECT count(*) AS n FROM requests WHERE id <> 'r' || CAST(time - ? AS INTEGER)").get(base);
  expect(missing).toEqual({ n: 0 });
  db.close();
  dir.remove();
});
