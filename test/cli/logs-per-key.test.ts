import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRequestLogStore } from "../../src/storage/memory-request-log-store.js";
import { PostgresRequestLogStore } from "../../src/storage/postgres/postgres-request-log-store.js";
import type { RequestLogRecord, RequestLogStore } from "../../src/storage/request-log-store.js";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeServedRecord, makeTempDir, type TempDir } from "../storage/request-log-fixtures.js";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema } from "../support/postgres-test-database.js";
import { runCli } from "../support/run-cli.js";

const postgres = await postgresAvailable();
const now = Date.now();
const records: RequestLogRecord[] = [
  makeServedRecord({
    id: "a1",
    time: now - 3_000,
    callerId: "key_aaaaaaaaaaaa",
    model: "small",
    promptTokens: 100,
    completionTokens: 50,
    costUsd: 0.001,
  }),
  makeServedRecord({
    id: "a2",
    time: now - 2_000,
    callerId: "key_aaaaaaaaaaaa",
    model: "large",
    promptTokens: 200,
    completionTokens: 100,
    costUsd: 0.02,
  }),
  makeServedRecord({
    id: "b1",
    time: now - 1_000,
    callerId: "team-b",
    model: "small",
    promptTokens: 10,
    completionTokens: 5,
    costUsd: 0.0001,
  }),
];

async function expectPerKeyFilter(store: RequestLogStore): Promise<void> {
  for (const record of records) store.append(record);
  await store.flush();
  const a = await store.costSummary({ callerId: "key_aaaaaaaaaaaa" });
  expect(a).toMatchObject({ requests: 2, promptTokens: 300, completionTokens: 150 });
  expect(a.costUsd).toBeCloseTo(0.021, 10);
  expect((await store.list({ callerId: "team-b" })).map((r) => r.id)).toEqual(["b1"]);
  expect(await store.list({ callerId: "nobody" })).toEqual([]);
}

describe("the request log per client key", () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => dir.remove());

  it("memory and SQLite stores filter by caller id", async () => {
    const memory = new MemoryRequestLogStore();
    await expectPerKeyFilter(memory);
    const sqlite = await SqliteRequestLogStore.open(dir.file("keys.db"));
    await expectPerKeyFilter(sqlite);
    await sqlite.close();
  });

  it.runIf(postgres)("the PostgreSQL store filters by caller id", async () => {
    const schema = uniqueSchema("perkey");
    const store = await PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
    try {
      await expectPerKeyFilter(store);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  it("rightsize logs --key shows one key's requests, tokens and spend", async () => {
    const { out, code } = await runCli("logs", "--db", dir.file("keys.db"), "--key", "key_aaaaaaaaaaaa");
    expect(code).toBe(0);
    expect(out).toMatch(/^2 requests in /);
    expect(out).toContain("key_aaaaaaaaaaaa");
    expect(out).not.toContain("team-b");
    const none = await runCli("logs", "--db", dir.file("keys.db"), "--key", "nobody");
    expect(none.out).toMatch(/No requests in .* match the filters\./);
  });
});
