import { createHash } from "node:crypto";
import type { ClientBase } from "pg";
import type { PostgresMigration } from "./postgres-migration.js";
import { quoteIdent, tableNamer } from "./postgres-migration.js";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations.js";
import { PostgresSchemaError } from "./postgres-schema-error.js";

export interface MigrateResult {
  /** Versions this call applied (empty when the schema was up to date). */
  applied: number[];
  /** The highest version now applied. */
  version: number;
  /** Applied versions this rightsize does not know (a newer gateway migrated; all additive). */
  unknown: number[];
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
  breaking: boolean;
}

/** sha256 of a migration's SQL rendered for a placeholder schema, so the checksum does not depend on the schema name. */
export function migrationChecksum(migration: PostgresMigration): string {
  return createHash("sha256")
    .update(migration.up(tableNamer("$schema")))
    .digest("hex");
}

/** The advisory lock key every gateway migrating `schema` takes (same key on every machine). */
export function migrationLockName(schema: string): string {
  return `rightsize.migrate:${schema}`;
}

/**
 * Brings `schema` up to the latest migration. Safe when several gateways start at once: the
 * whole run holds a session-level advisory lock, so one migrates while the others wait and then
 * find nothing to do. Each migration runs in its own transaction (a failure leaves the schema at
 * the last good version). Throws `PostgresSchemaError` for a schema that is not rightsize's, one
 * migrated by a newer rightsize in a way this one cannot use, or a shipped migration that was
 * edited; connection errors are thrown as they are.
 */
export async function migratePostgres(
  client: ClientBase,
  schema: string,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<MigrateResult> {
  checkMigrationList(migrations);
  const t = tableNamer(schema);
  await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [migrationLockName(schema)]);
  try {
    await ensureSchema(client, schema);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${t("schema_migrations")} (
         version integer PRIMARY KEY,
         name text NOT NULL,
         checksum text NOT NULL,
         breaking boolean NOT NULL DEFAULT false,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = (
      await client.query<AppliedRow>(`SELECT version, name, checksum, breaking FROM ${t("schema_migrations")} ORDER BY version`)
    ).rows;
    const unknown = checkApplied(schema, applied, migrations);
    const done = new Set(applied.map((row) => row.version));
    const result: MigrateResult = { applied: [], version: Math.max(0, ...done), unknown };
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await applyMigration(client, schema, migration);
      result.applied.push(migration.version);
      result.version = Math.max(result.version, migration.version);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [migrationLockName(schema)]).catch(() => undefined);
  }
}

/** Creates the schema unless it exists; refuses one that holds tables but no migration history. */
async function ensureSchema(client: ClientBase, schema: string): Promise<void> {
  const found = await client.query<{ tables: number; tracked: boolean }>(
    `SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = $1) AS tables,
            to_regclass($2) IS NOT NULL AS tracked`,
    [schema, `${quoteIdent(schema)}.schema_migrations`],
  );
  const row = found.rows[0];
  if (row && row.tables > 0 && !row.tracked) {
    throw new PostgresSchemaError(
      `schema "${schema}" already holds ${row.tables} tables that are not a rightsize request log; set storage.postgres.schema to another name`,
    );
  }
  const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
  if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
}

async function applyMigration(client: ClientBase, schema: string, migration: PostgresMigration): Promise<void> {
  const t = tableNamer(schema);
  await client.query("BEGIN");
  try {
    await client.query(migration.up(t));
    await client.query(`INSERT INTO ${t("schema_migrations")} (version, name, checksum, breaking) VALUES ($1, $2, $3, $4)`, [
      migration.version,
      migration.name,
      migrationChecksum(migration),
      migration.breaksOlderGateways === true,
    ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    if (error instanceof Error && "code" in error && typeof error.code === "string" && /^(08|57P)/.test(error.code)) throw error;
    throw new PostgresSchemaError(
      `migration ${migration.version} (${migration.name}) failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Verifies what is applied against what this rightsize knows; returns the unknown (newer, additive) versions. */
export function checkApplied(schema: string, applied: readonly AppliedRow[], migrations: readonly PostgresMigration[]): number[] {
  const known = new Map(migrations.map((m) => [m.version, m]));
  const unknown: number[] = [];
  for (const row of applied) {
    const migration = known.get(row.version);
    if (!migration) {
      if (row.breaking) {
        throw new PostgresSchemaError(
          `schema "${schema}" has migration ${row.version} (${row.name}) from a newer rightsize, which older gateways cannot use; upgrade rightsize`,
        );
      }
      unknown.push(row.version);
    } else if (migrationChecksum(migration) !== row.checksum) {
      throw new PostgresSchemaError(
        `schema "${schema}": migration ${row.version} (${row.name}) differs from the one applied; shipped migrations must not be edited (add a new one)`,
      );
    }
  }
  return unknown;
}

/** Versions must run 1, 2, 3, … with unique names: a gap or a duplicate is a programming error. */
export function checkMigrationList(migrations: readonly PostgresMigration[]): void {
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1) throw new Error(`migration #${i + 1} has version ${migration.version}; versions must be 1, 2, 3, …`);
  });
  const names = new Set(migrations.map((m) => m.name));
  if (names.size !== migrations.length) throw new Error("migration names must be unique");
}
