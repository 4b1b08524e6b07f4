/** A spend budget's period: a UTC calendar day or month. */
export type KeyBudgetPeriod = "day" | "month";

/** What a virtual key may do and spend. Null fields mean "no restriction". */
export interface KeyLimits {
  /** Router ids the key may ask for (`model: rightsize/auto`); null: every router. */
  routers: readonly string[] | null;
  /** Model ids the key may ask for directly; null: every model. */
  models: readonly string[] | null;
  /** Requests per minute. */
  rpm: number | null;
  /** Tokens (prompt + completion) per minute. */
  tpm: number | null;
  /** Spend in USD per UTC day or month. */
  budget: { usd: number; period: KeyBudgetPeriod } | null;
}

/** A client key kept in the store (never its secret: only a hash of it). */
export interface VirtualKey extends KeyLimits {
  /** Public id, e.g. `key_3f9a0c1d2e4b`: what logs, metrics and limits are counted by. */
  id: string;
  /** Who the key belongs to (a team, a service, a person). */
  owner: string;
  /** The secret's first and last characters, to recognise it (`rs-Ab3x…9QzK`). */
  hint: string;
  /** Epoch milliseconds. */
  createdAt: number;
  revokedAt: number | null;
  /** When the secret was last replaced. */
  rotatedAt: number | null;
}

/** What `create` needs: an owner, and limits (left out: none). */
export interface NewVirtualKey extends Partial<KeyLimits> {
  owner: string;
}

/** A key and its secret, as `create` and `rotate` return them: the only time the secret is seen. */
export interface IssuedKey {
  key: VirtualKey;
  secret: string;
}

/** A key as the stores keep it: with the hash of its secret, and of the previous one while a rotation's grace lasts. */
export interface StoredKey extends VirtualKey {
  hash: string;
  previousHash: string | null;
  /** Until when the previous secret still works (epoch ms). */
  previousUntil: number | null;
}

/** The key without the fields only the stores see. */
export function publicKey(stored: StoredKey): VirtualKey {
  const { hash: _hash, previousHash: _previous, previousUntil: _until, ...key } = stored;
  return key;
}

/** Whether a key (found by the hash of the secret presented) may be used at `now` with that secret. */
export function secretIsCurrent(stored: StoredKey, hash: string, now: number): boolean {
  if (stored.hash === hash) return true;
  return stored.previousHash === hash && stored.previousUntil !== null && now < stored.previousUntil;
}
