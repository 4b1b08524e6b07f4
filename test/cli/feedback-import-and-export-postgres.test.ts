import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresRequestLogReader } from "../../src/storage/postgres/postgres-request-log-reader.js";
import { PostgresRequestLogStore } from "../../src/storage/postgres/postgres-request-log-store.js";
import { makeRecord, makeTempDir, type TempDir } from "../storage/request-log-fixtures.js";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema } from "../support/postgres-test-database.js";
import { runCli } from "../support/run-cli.js";

const available = await postgresAvailable();

describe.skipIf(!available)("feedback import and outcome export on a PostgreSQL request log", () => {
  let dir: TempDir;
  let schema: string;
  let config: string;
  beforeAll(async () => {
    dir = makeTempDir();
    schema = uniqueSchema("fbcli");
    const store = await PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
    store.append(makeRecord({ id: "pg-1", model: "large", episodeId: "ep-pg" }));
    store.append(makeRecord({ id: "pg-2", model: "small", time: makeRecord().time + 1 }));
    await store.close();
    config = dir.file("rightsize.yaml");
    writeFileSync(config, `storage: { kind: postgres, url: '${TEST_POSTGRES_URL}', postgres: { schema: ${schema} } }\n`);
  });
  afterAll(async () => {
    await dropSchema(schema);
    dir.remove();
  });

  it("imports a file into the config's PostgreSQL log and exports outcome rows from it", async () => {
    const file = dir.file("fb.jsonl");
    writeFileSync(
      file,
      `${JSON.stringify({ request_id: "pg-1", metric: "correct", value: true })}\n${JSON.stringify({ request_id: "pg-2", metric: "correct", value: 0.25 })}\n`,
    );
    const imported = await runCli("feedback", "import", file, "--config", config);
    expect(imported.code, imported.err).toBe(0);
    const reader = await openPostgresRequestLogReader(TEST_POSTGRES_URL, schema);
    expect((await reader.listFeedback()).map((f) => [f.requestId, f.value, f.source])).toEqual([
      ["pg-1", true, "reviewer"],
      ["pg-2", 0.25, "reviewer"],
    ]);
    await reader.close();
    const out = dir.file("outcomes.jsonl");
    const exported = await runCli("export", "outcomes", "--config", config, "--out", out);
    expect(exported.code, exported.err).toBe(0);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => [row.id, row.outcomes])).toEqual([
      ["pg-1", { large: { score: 1, output_chars: 8, evidence: "feedback:reviewer", n: 1 } }],
      ["pg-2", { small: { score: 0.25, output_chars: 8, evidence: "feedback:reviewer", n: 1 } }],
    ]);
  });
});
