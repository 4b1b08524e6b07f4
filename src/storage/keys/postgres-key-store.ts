import type { Pool } from "pg";
import { describeDatabaseUrl } from "../describe-database-url.js";
import { describePostgresError } from "../postgres/classify-postgres-error.js";
import { migratePostgres } from "../postgres/migrate-postgres.js";
import { tableNamer } from "../postgres/postgres-migration.js";
import { createPostgresPool, loadPg, withPostgresClient } from "../postgres/open-postgres-pool.js";
import { PostgresSchemaError } from "../postgres/postgres-schema-error.js";
import { RequestLogOpenError } from "../request-log-open-error.js";
import type { KeyRow, KeyStore, RotateOptions } from "./key-store.js";
import { fromKeyRow, KEY_COLUMNS, toKeyRow } from "./key-store.js";
import { newStoredKey, rotatedStoredKey } from "./new-stored-key.js";
import type { IssuedKey, NewVirtualKey, StoredKey, VirtualKey } from "./virtual-key.js";
import { publicKey, secretIsCurrent } from "./virtual-key.js";

const COLUMNS = KEY_COLUMNS.join(", ");

export interface PostgresKeyStoreOptions {
  url: string;
  schema?: string;
  /** Connections (default 2). */
  poolSize?: number;
  /** Longest one query may take (default 5 s). */
  queryTimeoutMs?: number;
}

/**
 * Virtual keys in PostgreSQL (table `virtual_keys`, migration 4), shared by every gateway on the
 * schema. The schema is migrated on first use; a PostgreSQL that is down at start is not fatal
 * (calls fail until it answers, and the gateway keeps the keys it has cached).
 */
export class PostgresKeyStore implements KeyStore {
  private ready: Promise<void> | undefined;
  private readonly t: (name: string) => string;

  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly where: string,
  ) {
    this.t = tableNamer(schema);
  }

  /** Opens the pool and tries to migrate; throws `RequestLogOpenError` only for a schema that is not usable (not rightsize's, too new, refused login). */
  static async open(options: PostgresKeyStoreOptions): Promise<PostgresKeyStore> {
    const pg = await loadPg(options.url);
    const pool = createPostgresPool(pg, {
      url: options.url,
      max: options.poolSize ?? 2,
      queryTimeoutMs: options.queryTimeoutMs ?? 5_000,
      onError: () => undefined,
    });
    const store = new PostgresKeyStore(pool, options.schema ?? "rightsize", describeDatabaseUrl(options.url));
    try {
      await store.migrated();
    } catch (error) {
      if (error instanceof RequestLogOpenError) {
        await pool.end().catch(() => undefined);
        throw error;
      }
      // unreachable now: migrated on a later call
    }
    return store;
  }

  async create(input: NewVirtualKey, now = Date.now()): Promise<IssuedKey> {
    const { stored, secret } = newStoredKey(input, now);
    const row = toKeyRow(stored);
    await this.query(
      `INSERT INTO ${this.t("virtual_keys")} (${COLUMNS}) VALUES (${KEY_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`,
      KEY_COLUMNS.map((c) => row[c]),
    );
    return { key: publicKey(stored), secret };
  }

  async list(): Promise<VirtualKey[]> {
    const rows = await this.query<KeyRow>(`SELECT ${COLUMNS} FROM ${this.t("virtual_keys")} ORDER BY created_at, id`);
    return rows.map((row) => publicKey(fromKeyRow(row)));
  }

  async get(id: string): Promise<VirtualKey | null> {
    const stored = await this.stored(id);
    return stored ? publicKey(stored) : null;
  }

  async findBySecretHash(hash: string, now = Date.now()): Promise<VirtualKey | null> {
    const rows = await this.query<KeyRow>(
      `SELECT ${COLUMNS} FROM ${this.t("virtual_keys")} WHERE (key_hash = $1 OR previous_hash = $1) AND revoked_at IS NULL LIMIT 1`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    const stored = fromKeyRow(row);
    return secretIsCurrent(stored, hash, now) ? publicKey(stored) : null;
  }

  async revoke(id: string, now = Date.now()): Promise<VirtualKey | null> {
    await this.query(`UPDATE ${this.t("virtual_keys")} SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2`, [now, id]);
    return this.get(id);
  }

  async rotate(id: string, options: RotateOptions = {}): Promise<IssuedKey | null> {
    await this.migrated();
    return withPostgresClient(this.pool, async (client) => {
      await client.query("BEGIN");
      try {
        const found = await client.query<KeyRow>(`SELECT ${COLUMNS} FROM ${this.t("virtual_keys")} WHERE id = $1 FOR UPDATE`, [id]);
        const row = found.rows[0];
        const stored = row ? fromKeyRow(row) : null;
        if (!stored || stored.revokedAt !== null) {
          await client.query("ROLLBACK");
          return null;
        }
        const rotated = rotatedStoredKey(stored, options.now ?? Date.now(), options.graceMs ?? 0);
        const r = toKeyRow(rotated.stored);
        await client.query(
          `UPDATE ${this.t("virtual_keys")} SET key_hash = $2, key_hint = $3, rotated_at = $4, previous_hash = $5, previous_until = $6 WHERE id = $1`,
          [r.id, r.key_hash, r.key_hint, r.rotated_at, r.previous_hash, r.previous_until],
        );
        await client.query("COMMIT");
        return { key: publicKey(rotated.stored), secret: rotated.secret };
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  async count(): Promise<{ active: number; total: number }> {
    const rows = await this.query<{ active: number; total: number }>(
      `SELECT (count(*) FILTER (WHERE revoked_at IS NULL))::int AS active, count(*)::int AS total FROM ${this.t("virtual_keys")}`,
    );
    return rows[0] ?? { active: 0, total: 0 };
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private async stored(id: string): Promise<StoredKey | null> {
    const rows = await this.query<KeyRow>(`SELECT ${COLUMNS} FROM ${this.t("virtual_keys")} WHERE id = $1`, [id]);
    return rows[0] ? fromKeyRow(rows[0]) : null;
  }

  private async query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.migrated();
    return (await this.pool.query<R>(sql, params)).rows;
  }

  /** Migrates once; a failure (PostgreSQL unreachable) is retried on the next call. */
  private migrated(): Promise<void> {
    this.ready ??= withPostgresClient(this.pool, (client) => migratePostgres(client, this.schema)).then(
      () => undefined,
      (error: unknown) => {
        this.ready = undefined;
        if (error instanceof PostgresSchemaError) throw new RequestLogOpenError(this.where, error.message);
        throw new Error(`${this.where}: virtual keys unavailable: ${describePostgresError(error)}`, { cause: error });
      },
    );
    return this.ready;
  }
}
