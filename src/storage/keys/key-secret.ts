import { createHash, randomBytes } from "node:crypto";

/** The prefix of every virtual key secret, so a leaked one is recognisable (and redactable). */
export const KEY_SECRET_PREFIX = "rs-";

/** sha256 of a client key, base64url: config-file keys and virtual keys are looked up by it. */
export function hashKeySecret(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

/** A new secret: `rs-` and 32 random bytes (base64url). */
export function newKeySecret(): string {
  return KEY_SECRET_PREFIX + randomBytes(32).toString("base64url");
}

/** A new public key id: `key_` and 12 hex digits. */
export function newKeyId(): string {
  return `key_${randomBytes(6).toString("hex")}`;
}

/** The secret's first and last four characters after the prefix, e.g. `rs-Ab3x…9QzK`. */
export function keyHint(secret: string): string {
  const body = secret.startsWith(KEY_SECRET_PREFIX) ? secret.slice(KEY_SECRET_PREFIX.length) : secret;
  return `${KEY_SECRET_PREFIX}${body.slice(0, 4)}…${body.slice(-4)}`;
}
