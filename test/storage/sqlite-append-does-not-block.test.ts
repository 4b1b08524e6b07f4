import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeRecord, makeTempDir } from "./request-log-fixtures.js";

it("append returns at once and the event loop keeps running while the worker's write waits on a lock", async () => {
  const dir = makeTempDir();
  const file = dir.file("log.db");
  const events: string[] = [];
  let writeStarted!: () => void;
  const started = new Promise<void>((resolve) => (writeStarted = resolve));
  const store = await SqliteRequestLogStore.open(file, {
    onBatch: (event) => {
      events.push(`${event.phase}:${event.size}`);
      if (event.phase === "start") writeStarted();
    },
  });

  // Another connection holds the write lock, so the worker's insert blocks (in the worker).
  const blocker = new Database(file);
  blocker.prepare("BEGIN IMMEDIATE").run();

  store.append(makeRecord({ id: "first" }));
  let flushed = false;
  const flushing = store.flush().then(() => (flushed = true));
  await started; // the worker is now inside its write transaction, waiting for the lock

  for (let i = 0; i < 100; i++) expect(store.append(makeRecord({ id: `more-${i}` }))).toBeUndefined();
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  expect(flushed).toBe(false);
  expect(events).toEqual(["start:1"]);
  expect(store.backlog).toBe(101);

  blocker.prepare("COMMIT").run();
  blocker.close();
  await flushing;
  expect(events).toEqual(["start:1", "done:1"]);
  await store.flush();
  expect(await store.count()).toBe(101);
  expect(store.backlog).toBe(0);
  await store.close();
  dir.remove();
});
