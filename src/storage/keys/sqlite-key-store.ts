import type BetterSqlite3 from "better-sqlite3";
import { openWritableDatabase } from "../sqlite/open-sqlite-database.js";
import type { KeyRow, KeyStore, RotateOptions } from "./key-store.js";
import { fromKeyRow, KEY_COLUMNS, toKeyRow } from "./key-store.js";
import { newStoredKey, rotatedStoredKey } from "./new-stored-key.js";
import type { IssuedKey, NewVirtualKey, StoredKey, VirtualKey } from "./virtual-key.js";
import { publicKey, secretIsCurrent } from "./virtual-key.js";

const COLUMNS = KEY_COLUMNS.join(", ");

/**
 * Virtual keys in the request log's SQLite file (table `virtual_keys`, migration 5), on a
 * connection of their own (WAL: the log's writer thread is not blocked). Keys are few and read
 * rarely (the gateway caches them), so the calls are synchronous underneath.
 */
export class SqliteKeyStore implements KeyStore {
  private constructor(private readonly db: BetterSqlite3.Database) {}

  /** Opens (creating and migrating) the file; throws `RequestLogOpenError` when it is not a usable rightsize database. */
  static async open(file: string): Promise<SqliteKeyStore> {
    return new SqliteKeyStore(await openWritableDatabase(file));
  }

  async create(input: NewVirtualKey, now = Date.now()): Promise<IssuedKey> {
    const { stored, secret } = newStoredKey(input, now);
    this.db.prepare(`INSERT INTO virtual_keys (${COLUMNS}) VALUES (${KEY_COLUMNS.map((c) => `@${c}`).join(", ")})`).run(toKeyRow(stored));
    return { key: publicKey(stored), secret };
  }

  async list(): Promise<VirtualKey[]> {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM virtual_keys ORDER BY created_at, id`).all() as KeyRow[];
    return rows.map((row) => publicKey(fromKeyRow(row)));
  }

  async get(id: string): Promise<VirtualKey | null> {
    const stored = this.stored(id);
    return stored ? publicKey(stored) : null;
  }

  async findBySecretHash(hash: string, now = Date.now()): Promise<VirtualKey | null> {
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM virtual_keys WHERE (key_hash = ? OR previous_hash = ?) AND revoked_at IS NULL LIMIT 1`)
      .get(hash, hash) as KeyRow | undefined;
    if (!row) return null;
    const stored = fromKeyRow(row);
    return secretIsCurrent(stored, hash, now) ? publicKey(stored) : null;
  }

  async revoke(id: string, now = Date.now()): Promise<VirtualKey | null> {
    this.db.prepare("UPDATE virtual_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?").run(now, id);
    return this.get(id);
  }

  async rotate(id: string, options: RotateOptions = {}): Promise<IssuedKey | null> {
    const rotate = this.db.transaction((): IssuedKey | null => {
      const stored = this.stored(id);
      if (!stored || stored.revokedAt !== null) return null;
      const rotated = rotatedStoredKey(stored, options.now ?? Date.now(), options.graceMs ?? 0);
      this.db
        .prepare(
          "UPDATE virtual_keys SET key_hash = @key_hash, key_hint = @key_hint, rotated_at = @rotated_at, previous_hash = @previous_hash, previous_until = @previous_until WHERE id = @id",
        )
        .run(pick(toKeyRow(rotated.stored), ["id", "key_hash", "key_hint", "rotated_at", "previous_hash", "previous_until"]));
      return { key: publicKey(rotated.stored), secret: rotated.secret };
    });
    return rotate.immediate();
  }

  async count(): Promise<{ active: number; total: number }> {
    return this.db.prepare("SELECT count(*) FILTER (WHERE revoked_at IS NULL) AS active, count(*) AS total FROM virtual_keys").get() as {
      active: number;
      total: number;
    };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private stored(id: string): StoredKey | null {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM virtual_keys WHERE id = ?`).get(id) as KeyRow | undefined;
    return row ? fromKeyRow(row) : null;
  }
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) picked[key] = value[key];
  return picked;
}
