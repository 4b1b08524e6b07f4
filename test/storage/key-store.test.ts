import { describe } from "vitest";
import { MemoryKeyStore } from "../../src/storage/keys/memory-key-store.js";
import { PostgresKeyStore } from "../../src/storage/keys/postgres-key-store.js";
import { SqliteKeyStore } from "../../src/storage/keys/sqlite-key-store.js";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema } from "../support/postgres-test-database.js";
import { describeKeyStoreConformance } from "./key-store-conformance.js";
import { makeTempDir } from "./request-log-fixtures.js";

const postgres = await postgresAvailable();

describeKeyStoreConformance(
  "MemoryKeyStore",
  async () => {
    const store = new MemoryKeyStore();
    return { store, reopen: async () => store, cleanup: () => store.close() };
  },
  { persistent: false },
);

describeKeyStoreConformance(
  "SqliteKeyStore",
  async () => {
    const dir = makeTempDir();
    const file = dir.file("rightsize.db");
    const store = await SqliteKeyStore.open(file);
    return {
      store,
      reopen: () => SqliteKeyStore.open(file),
      cleanup: async () => {
        await store.close();
        dir.remove();
      },
    };
  },
  { persistent: true },
);

describe.skipIf(!postgres)("PostgreSQL", () => {
  describeKeyStoreConformance(
    "PostgresKeyStore",
    async () => {
      const schema = uniqueSchema("keys");
      const store = await PostgresKeyStore.open({ url: TEST_POSTGRES_URL, schema });
      return {
        store,
        reopen: () => PostgresKeyStore.open({ url: TEST_POSTGRES_URL, schema }),
        cleanup: async () => {
          await store.close();
          await dropSchema(schema);
        },
      };
    },
    { persistent: true },
  );
});
