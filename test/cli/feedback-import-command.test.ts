import { writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openRequestLogReader } from "../../src/storage/sqlite/sqlite-request-log-reader.js";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeRecord, makeTempDir, type TempDir } from "../storage/request-log-fixtures.js";
import { runCli } from "../support/run-cli.js";

describe("rightsize feedback import", () => {
  let dir: TempDir;
  let db: string;
  beforeEach(async () => {
    dir = makeTempDir();
    db = dir.file("rs.db");
    const store = await SqliteRequestLogStore.open(db);
    store.append(makeRecord({ id: "req-1", episodeId: "ep-1" }));
    store.append(makeRecord({ id: "req-2" }));
    await store.close();
  });
  afterEach(() => dir.remove());

  async function stored() {
    const reader = await openRequestLogReader(db);
    try {
      return await reader.listFeedback({ history: true });
    } finally {
      await reader.close();
    }
  }

  it("imports JSON Lines, lines without a source taking --source", async () => {
    const file = dir.file("fb.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ request_id: "req-1", metric: "correct", value: true }),
        "",
        JSON.stringify({ request_id: "req-2", metric: "quality", value: 0.4, comment: "meh", source: "judge" }),
        JSON.stringify({ episode_id: "ep-1", metric: "task_done", value: "yes", demonstration: "Better answer" }),
      ].join("\n"),
    );
    const result = await runCli("feedback", "import", file, "--db", db, "--source", "rule");
    expect(result.err).toBe("");
    expect(result.out).toMatch(/imported 3 feedback records \(2 requests, 1 episodes\)/);
    const records = await stored();
    expect(records.map((r) => [r.requestId ?? r.episodeId, r.metric, r.value, r.source])).toEqual([
      ["req-1", "correct", true, "rule"],
      ["req-2", "quality", 0.4, "judge"],
      ["ep-1", "task_done", "yes", "rule"],
    ]);
  });

  it("imports CSV with quoted fields holding commas, quotes and newlines", async () => {
    const file = dir.file("fb.csv");
    writeFileSync(
      file,
      'request_id,metric,value,comment\r\nreq-1,helpful,false,"too long, and ""rude""\nreally"\r\nreq-2,quality,0.75,\r\nreq-2,issue,wrong_language,\r\n',
    );
    const result = await runCli("feedback", "import", file, "--db", db);
    expect(result.code).toBe(0);
    const records = await stored();
    expect(records.map((r) => [r.requestId, r.value, r.comment, r.source])).toEqual([
      ["req-1", false, 'too long, and "rude"\nreally', "reviewer"],
      ["req-2", 0.75, null, "reviewer"],
      ["req-2", "wrong_language", null, "reviewer"],
    ]);
  });

  it("names file:line: field for every bad line and imports nothing", async () => {
    const file = dir.file("bad.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ request_id: "req-1", metric: "correct", value: true }),
        JSON.stringify({ request_id: "req-1", metric: "correct", value: 2 }),
        "{not json",
        JSON.stringify({ request_id: "req-1", value: true }),
      ].join("\n"),
    );
    const result = await runCli("feedback", "import", file, "--db", db);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain(`${file}:2: value: a number must be in [0, 1], got 2`);
    expect(result.err).toContain(`${file}:3: (line): not valid JSON`);
    expect(result.err).toContain(`${file}:4: metric: is required`);
    expect(result.err).toContain("nothing was imported");
    expect(await stored()).toEqual([]);
  });

  it("refuses the whole file when one line names a request that is not in the log", async () => {
    const file = dir.file("fb.csv");
    writeFileSync(file, "request_id,metric,value\nreq-1,helpful,true\nreq-9,helpful,true\n");
    const result = await runCli("feedback", "import", file, "--db", db);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain(`${file}:3: request_id: no request req-9 in ${db}`);
    expect(await stored()).toEqual([]);
  });

  it("names a bad CSV header column and a row with the wrong cell count", async () => {
    const header = dir.file("h.csv");
    writeFileSync(header, "request_id,metric,value,stars\nreq-1,helpful,true,5\n");
    expect((await runCli("feedback", "import", header, "--db", db)).err).toContain(`${header}:1: stars: not a feedback column`);
    const cells = dir.file("c.csv");
    writeFileSync(cells, "request_id,metric,value\nreq-1,helpful\n");
    expect((await runCli("feedback", "import", cells, "--db", db)).err).toContain(`${cells}:2: (line): 2 cells, the header has 3`);
  });
});
