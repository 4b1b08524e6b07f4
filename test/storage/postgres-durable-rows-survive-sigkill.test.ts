import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PostgresRequestLogStore } from "../../src/storage/postgres/postgres-request-log-store.js";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema } from "../support/postgres-test-database.js";
import { makeTempDir } from "./request-log-fixtures.js";

const available = await postgresAvailable();

/** A child process that appends rows to a durable store, says "appended N" after each, and waits to be killed. */
const CHILD = `
import { PostgresRequestLogStore } from "./src/storage/postgres/postgres-request-log-store.ts";
import { makeRecord } from "./test/storage/request-log-fixtures.ts";
const [url, schema, spoolDir] = process.argv.slice(1);
const store = await PostgresRequestLogStore.open({ url, schema, spoolDir, durable: true, batchMs: 60_000 });
for (let i = 0; i < 50; i++) store.append(makeRecord({ id: "durable-" + i }));
process.stdout.write("appended 50\\n");
setInterval(() => undefined, 1_000);
`;

describe.skipIf(!available)("durable PostgreSQL request log", () => {
  it("rows appended before a SIGKILL are on disk, and the next start on the spool stores each exactly once", async () => {
    const schema = uniqueSchema("durable");
    const dir = makeTempDir();
    try {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", CHILD, TEST_POSTGRES_URL, schema, dir.file("spool")],
        {
          cwd: process.cwd(),
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("appended 50")) resolve();
        });
        child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
      });
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      // batchMs was a minute: nothing reached PostgreSQL before the kill; the spool holds all 50.
      const next = await PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
      await next.drained();
      const ids = (await next.list({ limit: 100 })).map((r) => r.id).sort();
      expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => `durable-${i}`).sort());
      expect(next.status()).toMatchObject({ replayed: 50, duplicates: 0, dropped: 0 });
      await next.close();
    } finally {
      await dropSchema(schema);
      dir.remove();
    }
  });
});
