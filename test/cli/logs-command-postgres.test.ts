import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PostgresRequestLogStore } from "../../src/storage/postgres/postgres-request-log-store.js";
import type { RequestLogRecord } from "../../src/storage/request-log-store.js";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import type { TempDir } from "../storage/request-log-fixtures.js";
import { makeFallbackRecord, makeServedRecord, makeTempDir } from "../storage/request-log-fixtures.js";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema } from "../support/postgres-test-database.js";
import { runCli } from "../support/run-cli.js";

const available = await postgresAvailable();
const HOUR = 3_600_000;
const now = Date.now();
const records: RequestLogRecord[] = [
  makeServedRecord({ id: "r-old", time: now - 3 * HOUR, model: "small", promptTokens: 1000, completionTokens: 600, costUsd: 0.00051 }),
  makeServedRecord({ id: "r-mid", time: now - 2 * HOUR, model: "small", promptTokens: 2000, completionTokens: 1000, costUsd: 0.0009 }),
  makeFallbackRecord({ id: "r-new", time: now - HOUR / 6 }),
];

describe.skipIf(!available)("rightsize logs on a PostgreSQL request log", () => {
  let dir: TempDir;
  let schema: string;
  let sqliteFile: string;
  let config: string;
  beforeAll(async () => {
    dir = makeTempDir();
    schema = uniqueSchema("cli");
    const pgStore = await PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
    sqliteFile = dir.file("same.db");
    const sqliteStore = await SqliteRequestLogStore.open(sqliteFile);
    for (const record of records) {
      pgStore.append(record);
      sqliteStore.append(record);
    }
    await Promise.all([pgStore.close(), sqliteStore.close()]);
    config = dir.file("rightsize.yaml");
    writeFileSync(
      config,
      [
        "models:",
        "  - { id: small, provider: openai-compatible, model: s, baseUrl: 'http://127.0.0.1:1/v1', price: { input: 0.15, output: 0.6 } }",
        "  - { id: medium, provider: openai-compatible, model: m, baseUrl: 'http://127.0.0.1:1/v1', price: { input: 1, output: 4 } }",
        "  - { id: large, provider: openai-compatible, model: l, baseUrl: 'http://127.0.0.1:1/v1', price: { input: 2.5, output: 10 } }",
        `storage: { kind: postgres, url: '${TEST_POSTGRES_URL}', postgres: { schema: ${schema} } }`,
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await dropSchema(schema);
    dir.remove();
  });
  beforeEach(() => {
    process.exitCode = undefined;
  });

  it("reads the log the config's storage points at and prints exactly what it prints for the same rows in SQLite", async () => {
    const fromPostgres = await runCli("logs", "--config", config);
    expect(fromPostgres.err).toBe("");
    expect(fromPostgres.code).toBe(0);
    const [head, ...rest] = fromPostgres.out.split("\n");
    expect(head).toBe(`3 requests in ${TEST_POSTGRES_URL} (schema ${schema})`);
    const fromSqlite = await runCli("logs", "--config", config, "--db", sqliteFile);
    expect(fromSqlite.out.split("\n").slice(1)).toEqual(rest);
    expect(rest.join("\n")).toMatch(/r-new\s+team-a\s+rightsize\/auto\s+medium/);
  });

  it("takes a postgres:// URL as --db, filters, and prints JSON", async () => {
    const json = await runCli("logs", "--config", config, "--db", TEST_POSTGRES_URL, "--model", "small", "--json");
    const parsed = JSON.parse(json.out) as { requests: RequestLogRecord[]; summary: { requests: number } };
    expect(parsed.requests.map((r) => r.id)).toEqual(["r-mid", "r-old"]);
    expect(parsed.summary.requests).toBe(2);
  });

  it("fails with one clear line when the schema holds no request log", async () => {
    const other = dir.file("other.yaml");
    writeFileSync(
      other,
      `models: [{ id: small, provider: openai-compatible, model: s, baseUrl: 'http://127.0.0.1:1/v1' }]\nstorage: { kind: postgres, url: '${TEST_POSTGRES_URL}', postgres: { schema: rs_test_never_created } }\n`,
    );
    const empty = await runCli("logs", "--config", other);
    expect(empty.code).toBe(1);
    expect(empty.err).toBe(
      `rightsize: ${TEST_POSTGRES_URL}: no request log in schema "rs_test_never_created" (the gateway creates it on first start)\n`,
    );
  });
});
