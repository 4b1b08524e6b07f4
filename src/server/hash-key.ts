import { createHash } from "node:crypto";

/** Client keys are compared by hash, so lookups do not leak them through timing. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("base64url");
}
