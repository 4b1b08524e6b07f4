import { hashKeySecret, keyHint, newKeyId, newKeySecret } from "./key-secret.js";
import type { KeyLimits, NewVirtualKey, StoredKey } from "./virtual-key.js";

/** Checks a new key's fields; throws a RangeError naming the field. */
export function checkKeyLimits(input: NewVirtualKey): KeyLimits {
  if (input.owner.trim() === "") throw new RangeError("owner must not be empty");
  const positive = (name: string, value: number | null | undefined): number | null => {
    if (value === null || value === undefined) return null;
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    return value;
  };
  const list = (name: string, value: readonly string[] | null | undefined): readonly string[] | null => {
    if (value === null || value === undefined) return null;
    if (value.some((v) => v.trim() === "")) throw new RangeError(`${name} must not hold empty names`);
    return [...new Set(value)];
  };
  const budget = input.budget ?? null;
  if (budget !== null && (!Number.isFinite(budget.usd) || budget.usd < 0)) {
    throw new RangeError(`budget must be a non-negative number of USD, got ${budget.usd}`);
  }
  return {
    routers: list("routers", input.routers),
    models: list("models", input.models),
    rpm: positive("rpm", input.rpm),
    tpm: positive("tpm", input.tpm),
    budget: budget === null ? null : { usd: budget.usd, period: budget.period },
  };
}

/** A key to store and its secret. */
export function newStoredKey(input: NewVirtualKey, now: number): { stored: StoredKey; secret: string } {
  const limits = checkKeyLimits(input);
  const secret = newKeySecret();
  return {
    secret,
    stored: {
      id: newKeyId(),
      owner: input.owner.trim(),
      hint: keyHint(secret),
      ...limits,
      createdAt: now,
      revokedAt: null,
      rotatedAt: null,
      hash: hashKeySecret(secret),
      previousHash: null,
      previousUntil: null,
    },
  };
}

/** The key with a new secret; the old one works until `now + graceMs`. */
export function rotatedStoredKey(stored: StoredKey, now: number, graceMs: number): { stored: StoredKey; secret: string } {
  const secret = newKeySecret();
  return {
    secret,
    stored: {
      ...stored,
      hint: keyHint(secret),
      hash: hashKeySecret(secret),
      rotatedAt: now,
      previousHash: graceMs > 0 ? stored.hash : null,
      previousUntil: graceMs > 0 ? now + graceMs : null,
    },
  };
}
