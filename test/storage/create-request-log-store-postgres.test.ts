import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load-config.js";
import { createRequestLogStore, requestLogLocation } from "../../src/storage/create-request-log-store.js";
import { PostgresRequestLogStore } from "../../src/storage/postgres/postgres-request-log-store.js";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema } from "../support/postgres-test-database.js";
import { makeRecord, makeTempDir } from "./request-log-fixtures.js";

const available = await postgresAvailable();
const model = { id: "m", provider: "openai-compatible", model: "m", baseUrl: "http://127.0.0.1:1/v1" };

describe("storage.kind in the config", () => {
  it("defaults to SQLite, so a config without kind or url behaves as before", () => {
    const config = parseConfig({ models: [model] });
    expect(config.storage).toMatchObject({ kind: "sqlite", path: "rightsize.db" });
    expect(requestLogLocation(config.storage, "/etc/rs")).toEqual({ kind: "sqlite", file: "/etc/rs/rightsize.db" });
  });

  it("asks for a url with kind postgres, and refuses a url with kind sqlite", () => {
    expect(() => parseConfig({ models: [model], storage: { kind: "postgres" } })).toThrow(/storage\.url: kind: postgres needs url/);
    expect(() => parseConfig({ models: [model], storage: { url: "postgres://h/db" } })).toThrow(/storage\.url: url is for kind: postgres/);
    expect(() => parseConfig({ models: [model], storage: { kind: "postgres", url: "mysql://h/db" } })).toThrow(
      /postgres:\/\/ or postgresql:\/\//,
    );
    expect(() =>
      parseConfig({ models: [model], storage: { kind: "postgres", url: "postgres://h/db", postgres: { schema: "Bad-Name" } } }),
    ).toThrow(/storage\.postgres\.schema/);
  });

  it("names the PostgreSQL location with the configured schema", () => {
    const config = parseConfig({
      models: [model],
      storage: { kind: "postgres", url: "postgres://u:pw@h:5432/db", postgres: { schema: "gw" } },
    });
    expect(requestLogLocation(config.storage)).toEqual({ kind: "postgres", url: "postgres://u:pw@h:5432/db", schema: "gw" });
  });
});

describe.skipIf(!available)("createRequestLogStore with kind postgres", () => {
  it("opens the PostgreSQL store with the spool folder relative to the config's folder and redacts configured secrets", async () => {
    const dir = makeTempDir();
    const schema = uniqueSchema("factory");
    const config = parseConfig({
      models: [model],
      storage: { kind: "postgres", url: TEST_POSTGRES_URL, postgres: { schema, spoolDir: "spool-here" } },
    });
    const store = await createRequestLogStore(config.storage, { baseDir: dir.path, secrets: ["sk-configured-upstream-key"] });
    expect(store).toBeInstanceOf(PostgresRequestLogStore);
    expect(existsSync(dir.file("spool-here/spool-0.lock"))).toBe(true);
    store.append(makeRecord({ prompt: "my key is sk-configured-upstream-key" }));
    expect((await store.list())[0]?.prompt).toBe("my key is [REDACTED]");
    await store.close();
    await dropSchema(schema);
    dir.remove();
  });
});
