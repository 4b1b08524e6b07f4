import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PostgresRequestLogStore } from "../../src/storage/postgres/postgres-request-log-store.js";
import {
  dropSchema,
  postgresAvailable,
  postgresTarget,
  postgresUrlOnPort,
  TEST_POSTGRES_URL,
  uniqueSchema,
  withPostgres,
} from "../support/postgres-test-database.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import type { TempDir } from "./request-log-fixtures.js";
import { makeTempDir } from "./request-log-fixtures.js";

const available = await postgresAvailable();
const repoRoot = resolve(import.meta.dirname, "../..");
const storeUrl = pathToFileURL(resolve(repoRoot, "src/storage/postgres/postgres-request-log-store.ts")).href;
const fixturesUrl = pathToFileURL(resolve(repoRoot, "test/storage/request-log-fixtures.ts")).href;

describe.skipIf(!available)("a gateway process that exits with rows still queued", () => {
  let dir: TempDir;
  let schema: string;
  beforeEach(() => {
    dir = makeTempDir();
    schema = uniqueSchema("exit");
  });
  afterEach(async () => {
    await dropSchema(schema);
    dir.remove();
  });

  /** Runs a child that opens the store at `url`, appends `count` rows, then runs `ending`. */
  async function runChild(url: string, count: number, ending: string): Promise<string> {
    const script = dir.file("child.mts");
    writeFileSync(
      script,
      `import { PostgresRequestLogStore } from ${JSON.stringify(storeUrl)};
       import { makeRecord } from ${JSON.stringify(fixturesUrl)};
       const store = await PostgresRequestLogStore.open({
         url: ${JSON.stringify(url)}, schema: ${JSON.stringify(schema)}, spoolDir: ${JSON.stringify(dir.file("spool"))},
         batchSize: 1000, onError: () => {},
       });
       for (let i = 0; i < ${count}; i++) store.append(makeRecord({ id: "left-" + String(i).padStart(4, "0"), time: 1e12 + i }));
       ${ending}`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], { cwd: repoRoot, timeout: 20_000 });
    return stdout;
  }

  async function storedIds(): Promise<string[]> {
    return withPostgres(async (c) =>
      (await c.query<{ id: string }>(`SELECT id FROM "${schema}".requests ORDER BY seq`)).rows.map((r) => r.id),
    );
  }

  const ids = (n: number) => Array.from({ length: n }, (_, i) => `left-${String(i).padStart(4, "0")}`);

  it("writes them to the spool on exit, and the next start replays them in order", async () => {
    await runChild(TEST_POSTGRES_URL, 50, "process.exit(0);");
    const spooled = readFileSync(dir.file("spool/spool-0.jsonl"), "utf8").trim().split("\n");
    expect(spooled.map((line) => JSON.parse(line).id)).toEqual(ids(50));
    expect(await storedIds()).toEqual([]);

    const next = await PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
    await next.drained();
    expect(next.status()).toMatchObject({ replayed: 50, spoolRecords: 0 });
    await next.close();
    expect(await storedIds()).toEqual(ids(50));
  });

  it("keeps a batch that was in flight at exit: it is replayed once, written or not", async () => {
    await runChild(TEST_POSTGRES_URL, 1500, "await new Promise((r) => setImmediate(r)); process.exit(0);");
    const next = await PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
    await next.drained();
    await next.close();
    expect((await storedIds()).slice().sort()).toEqual(ids(1500));
  });

  it("spools them when PostgreSQL is down and the process ends by itself, and replays them once it is back", async () => {
    const port = await TcpProxy.freePort();
    const url = postgresUrlOnPort(port);
    const out = await runChild(url, 30, "await store.flush(); process.stdout.write(JSON.stringify(store.status()));");
    expect(JSON.parse(out)).toMatchObject({ postgres: "down", spoolRecords: 30 });
    const proxy = await TcpProxy.start(postgresTarget(), port);
    const next = await PostgresRequestLogStore.open({ url, schema, spoolDir: dir.file("spool") });
    await next.drained();
    await next.close();
    await proxy.close();
    expect(await storedIds()).toEqual(ids(30));
  });
});
