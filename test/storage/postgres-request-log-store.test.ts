import { describe, expect, it } from "vitest";
import { PostgresRequestLogStore } from "../../src/storage/postgres/postgres-request-log-store.js";
import { openPostgresRequestLogReader } from "../../src/storage/postgres/postgres-request-log-reader.js";
import { RequestLogOpenError } from "../../src/storage/request-log-open-error.js";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema, withPostgres } from "../support/postgres-test-database.js";
import { describeFeedbackStoreConformance } from "./feedback-store-conformance.js";
import { describeRequestLogStoreConformance, type StoreHarness } from "./request-log-store-conformance.js";
import { makeFallbackRecord, makeRecord, makeTempDir } from "./request-log-fixtures.js";

const available = await postgresAvailable();

describe.skipIf(!available)("PostgreSQL request log", () => {
  const harness = async (): Promise<StoreHarness> => {
    const schema = uniqueSchema("conf");
    const dir = makeTempDir();
    const errors: Error[] = [];
    const store = await PostgresRequestLogStore.open({
      url: TEST_POSTGRES_URL,
      schema,
      spoolDir: dir.file("spool"),
      onError: (e) => errors.push(e),
    });
    return {
      store,
      errors,
      reopen: () => openPostgresRequestLogReader(TEST_POSTGRES_URL, schema),
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
        dir.remove();
      },
    };
  };
  describeRequestLogStoreConformance("PostgresRequestLogStore", harness);
  describeFeedbackStoreConformance("PostgresRequestLogStore", harness);

  describe("PostgresRequestLogStore", () => {
    it("persists across reopening, and a second store on the same schema (another gateway) sees the same rows", async () => {
      const schema = uniqueSchema("two");
      const dir = makeTempDir();
      const a = await PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
      const b = await PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
      a.append(makeFallbackRecord());
      b.append(makeRecord({ id: "from-b", time: makeRecord().time + 1 }));
      await Promise.all([a.close(), b.close()]);
      const reader = await openPostgresRequestLogReader(TEST_POSTGRES_URL, schema);
      expect((await reader.list()).map((r) => r.id)).toEqual(["from-b", "req-fallback"]);
      expect((await reader.list({ model: "medium" }))[0]).toEqual(makeFallbackRecord());
      await reader.close();
      await dropSchema(schema);
      dir.remove();
    });

    it("stores a record whose text holds U+0000 or an unpaired surrogate (replaced by U+FFFD) instead of losing its batch", async () => {
      const schema = uniqueSchema("nul");
      const dir = makeTempDir();
      const errors: Error[] = [];
      const store = await PostgresRequestLogStore.open({
        url: TEST_POSTGRES_URL,
        schema,
        spoolDir: dir.file("spool"),
        onError: (e) => errors.push(e),
      });
      store.append(makeRecord({ id: "odd", prompt: "a\u0000b", answer: "half \ud800 pair" }));
      store.append(makeRecord({ id: "plain", time: makeRecord().time + 1 }));
      const [plain, odd] = await store.list();
      expect(plain?.id).toBe("plain");
      expect(odd).toMatchObject({ id: "odd", prompt: "a\uFFFDb", answer: "half \uFFFD pair" });
      expect(errors).toEqual([]);
      await store.close();
      await dropSchema(schema);
      dir.remove();
    });

    it("loses only the record PostgreSQL refuses for its data, and says which", async () => {
      const schema = uniqueSchema("bad");
      const dir = makeTempDir();
      const errors: Error[] = [];
      const store = await PostgresRequestLogStore.open({
        url: TEST_POSTGRES_URL,
        schema,
        spoolDir: dir.file("spool"),
        onError: (e) => errors.push(e),
      });
      store.append(makeRecord({ id: "ok-1" }));
      store.append(makeRecord({ id: "too-many-tokens", promptTokens: 2 ** 70 }));
      store.append(makeRecord({ id: "ok-2" }));
      expect((await store.list()).map((r) => r.id).sort()).toEqual(["ok-1", "ok-2"]);
      expect(errors.map((e) => e.message).join("\n")).toMatch(/too-many-tokens was not logged: PostgreSQL refused it/);
      expect(store.status()).toMatchObject({ written: 2, dropped: 1, spoolRecords: 0 });
      await store.close();
      await dropSchema(schema);
      dir.remove();
    });

    it("redacts secrets before a row leaves the process and drops content when logContent is off", async () => {
      const schema = uniqueSchema("red");
      const dir = makeTempDir();
      const store = await PostgresRequestLogStore.open({
        url: TEST_POSTGRES_URL,
        schema,
        spoolDir: dir.file("spool"),
        secrets: ["upstream-secret-1"],
        logContent: false,
      });
      store.append(makeRecord({ error: "invalid key upstream-secret-1", prompt: "p", answer: "a" }));
      await store.close();
      const stored = await withPostgres((c) => c.query(`SELECT error, prompt, answer FROM "${schema}".requests`));
      expect(stored.rows).toEqual([{ error: "invalid key [REDACTED]", prompt: null, answer: null }]);
      await dropSchema(schema);
      dir.remove();
    });

    it("refuses a schema that holds someone else's tables", async () => {
      const schema = uniqueSchema("foreign");
      const dir = makeTempDir();
      await withPostgres((c) => c.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".orders (id int)`));
      const opening = PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
      await expect(opening).rejects.toBeInstanceOf(RequestLogOpenError);
      await expect(opening).rejects.toThrow(/already holds 1 tables that are not a rightsize request log/);
      await dropSchema(schema);
      dir.remove();
    });

    it("fails to open with a clear error when the database does not exist, naming the URL without its password", async () => {
      const dir = makeTempDir();
      const url = new URL(TEST_POSTGRES_URL);
      url.pathname = "/rightsize_no_such_database";
      url.password = "hunter2";
      const opening = PostgresRequestLogStore.open({ url: url.toString(), spoolDir: dir.file("spool") });
      await expect(opening).rejects.toThrow(/rightsize_no_such_database.*does not exist/);
      await expect(opening).rejects.not.toThrow(/hunter2/);
      dir.remove();
    });

    it("the reader says there is no request log yet in a schema the gateway never created", async () => {
      await expect(openPostgresRequestLogReader(TEST_POSTGRES_URL, uniqueSchema("none"))).rejects.toThrow(
        /no request log in schema "rs_test_none_.*" \(the gateway creates it on first start\)/,
      );
    });
  });
});
