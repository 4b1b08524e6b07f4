import { execFile } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { ensureBuilt } from "../support/ensure-built.js";
import { rightsizeBin } from "../support/spawn-rightsize.js";
import { makeRecord, makeTempDir } from "../storage/request-log-fixtures.js";

/** `rightsize … | head -1`: the reader closes the pipe early; rightsize must stop quietly (no EPIPE stack), exit 0. */
const dir = makeTempDir();
const db = dir.file("log.db");

beforeAll(async () => {
  await ensureBuilt();
  const store = await SqliteRequestLogStore.open(db);
  const time = Date.UTC(2026, 10, 27);
  for (let i = 0; i < 3_000; i++) store.append(makeRecord({ id: `req-${i}`, time: time + i, answer: "an answer ".repeat(20) }));
  await store.close();
}, 120_000);

function pipeline(command: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["-c", `set -o pipefail; ${command} | head -1 > /dev/null`], (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe("a closed pipe", () => {
  for (const [name, args] of [
    ["logs (tables)", `logs --db ${db} --limit 3000`],
    ["logs --json", `logs --db ${db} --limit 3000 --json`],
  ] as const) {
    it(`${name} | head -1 exits 0 without a stack trace`, async () => {
      const { code, stderr } = await pipeline(`node ${rightsizeBin} ${args}`);
      expect(stderr).toBe("");
      expect(code).toBe(0);
    });
  }
});
