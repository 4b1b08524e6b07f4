import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PostgresRequestLogStore } from "../../src/storage/postgres/postgres-request-log-store.js";
import type { PostgresRequestLogStoreOptions } from "../../src/storage/postgres/postgres-request-log-store-options.js";
import {
  dropSchema,
  postgresAvailable,
  postgresTarget,
  postgresUrlOnPort,
  uniqueSchema,
  withPostgres,
} from "../support/postgres-test-database.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import type { TempDir } from "./request-log-fixtures.js";
import { makeRecord, makeTempDir } from "./request-log-fixtures.js";

const available = await postgresAvailable();
const T0 = Date.UTC(2026, 11, 1);

/** Every stored id in insertion order, and how many rows hold each (must be one). */
async function storedIds(schema: string): Promise<{ ids: string[]; maxCopies: number; attempts: number }> {
  return withPostgres(async (client) => {
    const ids = await client.query<{ id: string }>(`SELECT id FROM "${schema}".requests ORDER BY seq`);
    const copies = await client.query<{ n: number }>(
      `SELECT coalesce(max(n), 0)::int AS n FROM (SELECT count(*) AS n FROM "${schema}".requests GROUP BY id) c`,
    );
    const attempts = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".attempts`);
    return { ids: ids.rows.map((r) => r.id), maxCopies: copies.rows[0]?.n ?? 0, attempts: attempts.rows[0]?.n ?? 0 };
  });
}

const record = (i: number) => makeRecord({ id: `r${String(i).padStart(5, "0")}`, time: T0 + i });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `r${String(from + i).padStart(5, "0")}`);

describe.skipIf(!available)("PostgreSQL outages: rows spool locally and replay in order, none lost, none twice", () => {
  let dir: TempDir;
  let schema: string;
  let proxy: TcpProxy | undefined;
  let errors: Error[];
  const open = (port: number, extra: Partial<PostgresRequestLogStoreOptions> = {}) =>
    PostgresRequestLogStore.open({
      url: postgresUrlOnPort(port),
      schema,
      spoolDir: dir.file("spool"),
      batchSize: 50,
      batchMs: 5,
      retryMinMs: 20,
      retryMaxMs: 100,
      writeTimeoutMs: 2_000,
      onError: (e) => errors.push(e),
      ...extra,
    });

  beforeEach(() => {
    dir = makeTempDir();
    schema = uniqueSchema("out");
    errors = [];
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await dropSchema(schema);
    dir.remove();
  });

  it("spools what is appended while PostgreSQL is unreachable, then replays it in order once it answers", async () => {
    proxy = await TcpProxy.start(postgresTarget());
    const store = await open(proxy.port);
    for (let i = 0; i < 200; i++) store.append(record(i));
    await store.flush();
    expect(store.status()).toMatchObject({ postgres: "up", written: 200, spoolRecords: 0 });

    await proxy.cut();
    for (let i = 200; i < 500; i++) store.append(record(i));
    await store.flush();
    const down = store.status();
    expect(down.postgres).toBe("down");
    expect(down.spoolRecords).toBe(300);
    expect(down.spoolBytes).toBeGreaterThan(300 * 500);
    expect(errors.map((e) => e.message).join("\n")).toMatch(/PostgreSQL is unavailable .* rows go to the spool/);

    await proxy.restore();
    await store.drained();
    expect(store.status()).toMatchObject({ postgres: "up", spoolRecords: 0, spoolBytes: 0, replayed: 300, dropped: 0, reconnects: 1 });
    const stored = await storedIds(schema);
    // Written directly, up to `writers` batches at a time (any order among them); then the spool, in order.
    expect(stored.ids.slice(0, 200).sort()).toEqual(range(0, 200));
    expect(stored.ids.slice(200)).toEqual(range(200, 500));
    expect(stored.maxCopies).toBe(1);
    expect(stored.attempts).toBe(500);
    await store.close();
  });

  it("loses and doubles nothing when the connection is cut again and again while batches are in flight", async () => {
    proxy = await TcpProxy.start(postgresTarget());
    const store = await open(proxy.port, { batchSize: 25 });
    let next = 0;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 120; i++) store.append(record(next++));
      // Let some batches start, then cut under them.
      await new Promise((resolve) => setImmediate(resolve));
      await proxy.cut();
      for (let i = 0; i < 30; i++) store.append(record(next++));
      await store.flush();
      await proxy.restore();
    }
    await store.drained();
    const stored = await storedIds(schema);
    expect(stored.ids.slice().sort()).toEqual(range(0, next));
    expect(stored.maxCopies).toBe(1);
    expect(stored.attempts).toBe(next);
    expect(store.status().dropped).toBe(0);
    await store.close();
  });

  it("starts while PostgreSQL is on a port nothing listens on yet, and migrates and replays once it appears there", async () => {
    const port = await TcpProxy.freePort();
    const store = await open(port);
    expect(store.status().postgres).toBe("down");
    expect(errors[0]?.message).toMatch(/PostgreSQL is unavailable \(.*ECONNREFUSED.*\); 0 rows go to the spool/);
    for (let i = 0; i < 120; i++) store.append(record(i));
    await store.flush();
    expect(store.status().spoolRecords).toBe(120);
    proxy = await TcpProxy.start(postgresTarget(), port);
    await store.drained();
    expect((await storedIds(schema)).ids).toEqual(range(0, 120));
    expect(await store.count()).toBe(120);
    await store.close();
  });

  it("treats a hung PostgreSQL like a down one: a batch slower than writeTimeoutMs goes to the spool", async () => {
    proxy = await TcpProxy.start(postgresTarget());
    const store = await open(proxy.port, { writeTimeoutMs: 300 });
    store.append(record(0));
    await store.flush();
    proxy.stall();
    for (let i = 1; i < 40; i++) store.append(record(i));
    await store.flush();
    expect(store.status()).toMatchObject({ postgres: "down", spoolRecords: 39 });
    expect(store.status().lastError).toMatch(/timeout/i);
    await proxy.cut();
    await proxy.restore();
    await store.drained();
    const stored = await storedIds(schema);
    expect(stored.ids).toEqual(range(0, 40));
    expect(stored.maxCopies).toBe(1);
    await store.close();
  });

  it("spills to the spool when the memory queue is full, keeping order and every row", async () => {
    proxy = await TcpProxy.start(postgresTarget());
    const store = await open(proxy.port, { maxQueue: 100, writeTimeoutMs: 2_000 });
    store.append(record(0));
    await store.flush();
    proxy.stall();
    for (let i = 1; i < 400; i++) store.append(record(i));
    expect(store.status().queued).toBeLessThanOrEqual(100);
    expect(store.status().spoolRecords).toBeGreaterThanOrEqual(300);
    await proxy.cut();
    await proxy.restore();
    await store.drained();
    const stored = await storedIds(schema);
    expect(stored.ids.slice().sort()).toEqual(range(0, 400));
    expect(stored.maxCopies).toBe(1);
    await store.close();
  });

  it("stops at the spool's size limit and reports the rows it could not keep", async () => {
    const port = await TcpProxy.freePort();
    const one = Buffer.byteLength(`${JSON.stringify(record(0))}\n`);
    const store = await open(port, { maxSpoolBytes: one * 10 });
    for (let i = 0; i < 15; i++) store.append(record(i));
    await store.flush();
    expect(store.status()).toMatchObject({ spoolRecords: 10, dropped: 5 });
    expect(errors.map((e) => e.message).join("\n")).toMatch(/spool .* is full .*; 5 request records were not logged/);
    await store.close();
  });

  it("skips, without an error, rows of the spool that PostgreSQL already has (a batch committed just before a crash)", async () => {
    proxy = await TcpProxy.start(postgresTarget());
    const first = await open(proxy.port);
    for (let i = 0; i < 5; i++) first.append(record(i));
    await first.close();
    // The spool a crashed gateway left: the 5 rows it had written (their commit unacknowledged) and 5 more.
    const lines = Array.from({ length: 10 }, (_, i) => `${JSON.stringify(record(i))}\n`);
    writeFileSync(join(dir.file("spool"), "spool-0.jsonl"), lines.join(""));
    errors = [];
    const second = await open(proxy.port);
    await second.drained();
    expect(second.status()).toMatchObject({ replayed: 5, duplicates: 5, spoolRecords: 0 });
    expect(errors.filter((e) => /duplicate/.test(e.message))).toEqual([]);
    const stored = await storedIds(schema);
    expect(stored.ids).toEqual(range(0, 10));
    expect(stored.maxCopies).toBe(1);
    await second.close();
  });
});
