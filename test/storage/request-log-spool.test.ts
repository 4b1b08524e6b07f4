import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RequestLogSpool } from "../../src/storage/spool/request-log-spool.js";
import type { TempDir } from "./request-log-fixtures.js";
import { makeRecord, makeTempDir } from "./request-log-fixtures.js";

const ids = (chunk: { records: { id: string }[] }) => chunk.records.map((r) => r.id);
const records = (...names: string[]) => names.map((id) => makeRecord({ id }));

describe("RequestLogSpool", () => {
  let dir: TempDir;
  const open = (options: Partial<{ maxBytes: number; onError: (e: Error) => void }> = {}) =>
    RequestLogSpool.open(dir.file("spool"), { maxBytes: options.maxBytes ?? 1 << 30, onError: options.onError });
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it("gives records back first in, first out, and empties the file once all are consumed", () => {
    const spool = open();
    expect(spool.append(records("a", "b", "c"))).toBe(3);
    const first = spool.peek(2);
    expect(ids(first)).toEqual(["a", "b"]);
    expect(ids(spool.peek(2))).toEqual(["a", "b"]);
    spool.consume(first);
    expect(spool.records).toBe(1);
    spool.append(records("d"));
    const rest = spool.peek(10);
    expect(ids(rest)).toEqual(["c", "d"]);
    spool.consume(rest);
    expect({ records: spool.records, bytes: spool.bytes }).toEqual({ records: 0, bytes: 0 });
    expect(readFileSync(spool.file, "utf8")).toBe("");
    spool.close();
    expect(existsSync(spool.file)).toBe(false);
  });

  it("round-trips a record exactly and reports its size in bytes", () => {
    const spool = open();
    const record = makeRecord({ prompt: "ünïcödé ✓", answer: null });
    spool.append([record]);
    expect(spool.bytes).toBe(Buffer.byteLength(`${JSON.stringify(record)}\n`));
    expect(spool.peek(1).records).toEqual([record]);
    spool.close();
  });

  it("keeps its records when closed, and the next process on the folder finds them in order", () => {
    const first = open();
    first.append(records("x1", "x2", "x3"));
    first.consume(first.peek(1));
    first.close();
    const second = open();
    expect(second.file).toBe(first.file);
    expect(ids(second.peek(10))).toEqual(["x2", "x3"]);
    expect(second.records).toBe(2);
    second.close();
  });

  it("refuses records beyond its size limit and says how many it took", () => {
    const one = Buffer.byteLength(`${JSON.stringify(makeRecord({ id: "r0" }))}\n`);
    const spool = open({ maxBytes: one * 2 + 10 });
    expect(spool.append(records("r0", "r1", "r2", "r3"))).toBe(2);
    expect(spool.append(records("r4"))).toBe(0);
    expect(ids(spool.peek(10))).toEqual(["r0", "r1"]);
    spool.close();
  });

  it("reads records longer than its read chunk", () => {
    const spool = open();
    const big = makeRecord({ id: "big", prompt: "p".repeat(3 * (1 << 20)) });
    spool.append([makeRecord({ id: "small" }), big, makeRecord({ id: "after" })]);
    const chunk = spool.peek(10);
    expect(ids(chunk)).toEqual(["small", "big", "after"]);
    expect(chunk.records[1]?.prompt?.length).toBe(3 * (1 << 20));
    expect(chunk.bytes).toBe(spool.bytes);
    spool.close();
  });

  it("cuts a partial last record a crashed process left, and skips a damaged line, reporting both", () => {
    const file = join(dir.file("spool"), "spool-0.jsonl");
    open().close();
    const good = `${JSON.stringify(makeRecord({ id: "good" }))}\n`;
    writeFileSync(file, `${good}{not json}\n${JSON.stringify(makeRecord({ id: "later" }))}\n`);
    appendFileSync(file, '{"id":"torn","ti');
    const errors: Error[] = [];
    const spool = open({ onError: (e) => errors.push(e) });
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/cut a partial record at its end \(16 bytes/)]);
    expect(spool.records).toBe(3);
    const chunk = spool.peek(10);
    expect(ids(chunk)).toEqual(["good", "later"]);
    spool.consume(chunk);
    expect(errors[1]?.message).toMatch(/skipped 1 damaged lines/);
    expect(spool.records).toBe(0);
    spool.close();
  });

  it("gives two processes sharing a folder their own slots, and takes over the slot of a dead one", () => {
    const a = open();
    const b = open();
    expect([a.file, b.file].map((f) => f.split("/").pop())).toEqual(["spool-0.jsonl", "spool-1.jsonl"]);
    a.append(records("left-behind"));
    a.close();
    b.close();
    // A lock left by a process that has exited: its slot (and spool) is taken over.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(join(dir.file("spool"), "spool-0.lock"), `${dead}\n`);
    const c = open();
    expect(c.file.split("/").pop()).toBe("spool-0.jsonl");
    expect(ids(c.peek(10))).toEqual(["left-behind"]);
    // A lock held by a live process (this one's parent) is respected.
    writeFileSync(join(dir.file("spool"), "spool-1.lock"), `${process.ppid}\n`);
    const d = open();
    expect(d.file.split("/").pop()).toBe("spool-2.jsonl");
    c.close();
    d.close();
  });
});
