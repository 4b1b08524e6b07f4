import { afterEach, describe, expect, it } from "vitest";
import { checkMigrationList, migratePostgres } from "../../src/storage/postgres/migrate-postgres.js";
import type { PostgresMigration } from "../../src/storage/postgres/postgres-migration.js";
import { POSTGRES_MIGRATIONS } from "../../src/storage/postgres/postgres-migrations.js";

const LATEST = POSTGRES_MIGRATIONS.length;
const ALL = POSTGRES_MIGRATIONS.map((m) => m.version);
import { PostgresRequestLogStore } from "../../src/storage/postgres/postgres-request-log-store.js";
import { openPostgresRequestLogReader } from "../../src/storage/postgres/postgres-request-log-reader.js";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema, withPostgres } from "../support/postgres-test-database.js";
import { makeTempDir } from "./request-log-fixtures.js";

const available = await postgresAvailable();

/** What a later issue adds: a lineage table, by appending a migration. */
const lineageMigration: PostgresMigration = {
  version: POSTGRES_MIGRATIONS.length + 1,
  name: "lineage",
  up: (t) => `
    CREATE TABLE ${t("lineage")} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      request_id text COLLATE "C" NOT NULL,
      metric text NOT NULL,
      value jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX lineage_request ON ${t("lineage")} (request_id, metric, created_at);
  `,
};

describe("the list of PostgreSQL migrations", () => {
  it("runs 1, 2, 3, … with unique names", () => {
    expect(() => checkMigrationList(POSTGRES_MIGRATIONS)).not.toThrow();
    expect(() => checkMigrationList([...POSTGRES_MIGRATIONS, { ...lineageMigration, version: 9 }])).toThrow(/versions must be 1, 2, 3/);
    expect(() => checkMigrationList([...POSTGRES_MIGRATIONS, { ...lineageMigration, name: POSTGRES_MIGRATIONS[0]!.name }])).toThrow(
      /unique/,
    );
  });
});

describe.skipIf(!available)("PostgreSQL migrations", () => {
  const schemas: string[] = [];
  const fresh = (label: string) => {
    const schema = uniqueSchema(label);
    schemas.push(schema);
    return schema;
  };
  afterEach(async () => {
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });

  const migrate = (schema: string, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS) =>
    withPostgres((client) => migratePostgres(client, schema, migrations));

  it("creates the schema and applies every migration once; a second run applies nothing", async () => {
    const schema = fresh("idem");
    expect(await migrate(schema)).toEqual({ applied: ALL, version: LATEST, unknown: [] });
    expect(await migrate(schema)).toEqual({ applied: [], version: LATEST, unknown: [] });
    const rows = await withPostgres((c) => c.query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`));
    expect(rows.rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it("is safe when several gateways start at once: one migrates, the others wait and find nothing to do", async () => {
    const schema = fresh("race");
    const results = await Promise.all(Array.from({ length: 6 }, () => migrate(schema)));
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    expect(results.every((r) => r.version === LATEST)).toBe(true);
    const count = await withPostgres((c) => c.query(`SELECT count(*)::int AS n FROM "${schema}".schema_migrations`));
    expect(count.rows[0].n).toBe(LATEST);
  });

  it("adds a table by appending a migration, and a gateway that does not know it yet keeps working", async () => {
    const schema = fresh("add");
    await migrate(schema);
    expect(await migrate(schema, [...POSTGRES_MIGRATIONS, lineageMigration])).toMatchObject({
      applied: [LATEST + 1],
      version: LATEST + 1,
    });
    await withPostgres((c) => c.query(`INSERT INTO "${schema}".lineage (request_id, metric, value) VALUES ('r1', 'thumbs', 'true')`));
    expect(await migrate(schema)).toEqual({ applied: [], version: LATEST + 1, unknown: [LATEST + 1] });
    const dir = makeTempDir();
    const older = await PostgresRequestLogStore.open({ url: TEST_POSTGRES_URL, schema, spoolDir: dir.file("spool") });
    await older.close();
    const reader = await openPostgresRequestLogReader(TEST_POSTGRES_URL, schema);
    expect(await reader.count()).toBe(0);
    await reader.close();
    dir.remove();
  });

  it("refuses a schema a newer rightsize migrated in a way older gateways cannot use", async () => {
    const schema = fresh("break");
    await migrate(schema, [...POSTGRES_MIGRATIONS, { ...lineageMigration, breaksOlderGateways: true }]);
    await expect(migrate(schema)).rejects.toThrow(
      new RegExp(`migration ${LATEST + 1} \\(lineage\\) from a newer rightsize, which older gateways cannot use; upgrade`),
    );
    await expect(openPostgresRequestLogReader(TEST_POSTGRES_URL, schema)).rejects.toThrow(/upgrade rightsize/);
  });

  it("refuses a shipped migration that was edited after it was applied", async () => {
    const schema = fresh("edit");
    await migrate(schema, [...POSTGRES_MIGRATIONS, lineageMigration]);
    const edited: PostgresMigration = {
      ...lineageMigration,
      up: (t) => `${lineageMigration.up(t)} CREATE INDEX x ON ${t("lineage")} (metric);`,
    };
    await expect(migrate(schema, [...POSTGRES_MIGRATIONS, edited])).rejects.toThrow(
      new RegExp(`migration ${LATEST + 1} \\(lineage\\) differs from the one applied`),
    );
  });

  it("leaves the schema at the last good version when a migration fails", async () => {
    const schema = fresh("fail");
    const broken: PostgresMigration = {
      version: LATEST + 1,
      name: "broken",
      up: (t) => `CREATE TABLE ${t("half_done")} (id int); SELECT no_such_function();`,
    };
    await expect(migrate(schema, [...POSTGRES_MIGRATIONS, broken])).rejects.toThrow(
      new RegExp(`migration ${LATEST + 1} \\(broken\\) failed: function no_such_function`),
    );
    const state = await withPostgres((c) =>
      c.query(`SELECT (SELECT max(version) FROM "${schema}".schema_migrations) AS version, to_regclass('"${schema}".half_done') AS half`),
    );
    expect(state.rows[0]).toEqual({ version: LATEST, half: null });
  });
});
