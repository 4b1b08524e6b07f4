import type { IssuedKey, NewVirtualKey, StoredKey, VirtualKey } from "./virtual-key.js";

export interface RotateOptions {
  /** How long the old secret keeps working (default 0: it stops at once). */
  graceMs?: number;
  now?: number;
}

/**
 * Virtual client keys: stored hashed, with an owner, allowed routers and models, rate limits and
 * a budget. The same contract in memory, SQLite and PostgreSQL (the conformance suite
 * `test/storage/key-store-conformance.ts` runs against all three).
 */
export interface KeyStore {
  /** Creates a key; the secret is returned here and never stored. */
  create(input: NewVirtualKey, now?: number): Promise<IssuedKey>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<VirtualKey[]>;
  get(id: string): Promise<VirtualKey | null>;
  /**
   * The key whose current secret (or previous one, during a rotation's grace) has this hash;
   * null for an unknown, revoked or expired secret.
   */
  findBySecretHash(hash: string, now?: number): Promise<VirtualKey | null>;
  /** Revokes the key (its secret stops working); null when there is no such key. Revoking twice keeps the first time. */
  revoke(id: string, now?: number): Promise<VirtualKey | null>;
  /** Gives the key a new secret (same id, limits and counters); null when there is no such key or it is revoked. */
  rotate(id: string, options?: RotateOptions): Promise<IssuedKey | null>;
  /** How many keys there are: not revoked, and in all (once a key exists, revoked or not, a gateway requires keys). */
  count(): Promise<{ active: number; total: number }>;
  close(): Promise<void>;
}

/** What a SQL store keeps per key, one column each. */
export interface KeyRow {
  id: string;
  key_hash: string;
  key_hint: string;
  owner: string;
  routers: string | null;
  models: string | null;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: string | null;
  created_at: number;
  revoked_at: number | null;
  rotated_at: number | null;
  previous_hash: string | null;
  previous_until: number | null;
}

export function toKeyRow(key: StoredKey): KeyRow {
  return {
    id: key.id,
    key_hash: key.hash,
    key_hint: key.hint,
    owner: key.owner,
    routers: key.routers === null ? null : JSON.stringify(key.routers),
    models: key.models === null ? null : JSON.stringify(key.models),
    rpm: key.rpm,
    tpm: key.tpm,
    budget_usd: key.budget?.usd ?? null,
    budget_period: key.budget?.period ?? null,
    created_at: key.createdAt,
    revoked_at: key.revokedAt,
    rotated_at: key.rotatedAt,
    previous_hash: key.previousHash,
    previous_until: key.previousUntil,
  };
}

export function fromKeyRow(row: KeyRow): StoredKey {
  return {
    id: row.id,
    hash: row.key_hash,
    hint: row.key_hint,
    owner: row.owner,
    routers: row.routers === null ? null : (JSON.parse(row.routers) as string[]),
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    rpm: row.rpm,
    tpm: row.tpm,
    budget:
      row.budget_usd === null || row.budget_period === null
        ? null
        : { usd: row.budget_usd, period: row.budget_period === "day" ? "day" : "month" },
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    rotatedAt: row.rotated_at,
    previousHash: row.previous_hash,
    previousUntil: row.previous_until,
  };
}

/** Column order of `KeyRow` (inserts and selects). */
export const KEY_COLUMNS: readonly (keyof KeyRow)[] = [
  "id",
  "key_hash",
  "key_hint",
  "owner",
  "routers",
  "models",
  "rpm",
  "tpm",
  "budget_usd",
  "budget_period",
  "created_at",
  "revoked_at",
  "rotated_at",
  "previous_hash",
  "previous_until",
];
