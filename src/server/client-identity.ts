import type { KeyLimits } from "../storage/keys/virtual-key.js";

/** Who sent a request and what their key may use and spend. */
export interface ClientIdentity {
  /** The caller id logs and metrics carry: a config key's id, or a virtual key's `key_…` id. */
  id: string;
  limits: KeyLimits;
  /** Whether any rate limit or budget applies (else no shared-state round trip is made). */
  limited: boolean;
}

export function clientIdentity(id: string, limits: KeyLimits): ClientIdentity {
  return { id, limits, limited: limits.rpm !== null || limits.tpm !== null || limits.budget !== null };
}
