import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { makeTempDir } from "./request-log-fixtures.js";

const repoRoot = resolve(import.meta.dirname, "../..");

it("a process that appends and never flushes or closes still writes its records and exits by itself", async () => {
  const dir = makeTempDir();
  const file = dir.file("log.db");
  const script = dir.file("append-and-leave.mts");
  const storeUrl = pathToFileURL(resolve(repoRoot, "src/storage/sqlite/sqlite-request-log-store.ts")).href;
  const fixturesUrl = pathToFileURL(resolve(repoRoot, "test/storage/request-log-fixtures.ts")).href;
  writeFileSync(
    script,
    `import { SqliteRequestLogStore } from ${JSON.stringify(storeUrl)};
     import { makeRecord } from ${JSON.stringify(fixturesUrl)};
     const store = await SqliteRequestLogStore.open(${JSON.stringify(file)});
     for (let i = 0; i < 3; i++) store.append(makeRecord({ id: "left-" + i }));
     process.stdout.write("appended\\n");`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], {
    cwd: repoRoot,
    timeout: 20_000,
  });
  expect(stdout).toBe("appended\n");
  const db = new Database(file, { readonly: true });
  expect(db.prepare("SELECT id FROM requests ORDER BY id").pluck().all()).toEqual(["left-0", "left-1", "left-2"]);
  db.close();
  dir.remove();
});
