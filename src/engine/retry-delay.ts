import type { RetryConfig } from "../config/config-schema.js";

/**
 * The wait before retry number `retry` (1-based): the upstream's retry-after when it sent
 * one, else exponential backoff with full jitter, capped at `maxDelayMs`.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, config: RetryConfig, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.max(0, retryAfterMs);
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
