/**
 * The sliding-window counter both rate-limit implementations share (the Redis script repeats
 * the admission test with the same arithmetic, so both decide alike). Time is cut into fixed
 * windows; the count over "the last window" is estimated as the current window's count plus
 * the previous window's, weighted by how much of it still lies within the sliding window.
 * O(1) state per limit, no burst of twice the limit at a window boundary (as a fixed window
 * allows), and an error bounded by the assumption that the previous window's requests were
 * spread evenly.
 */
export interface WindowCounts {
  /** Count in the current fixed window. */
  current: number;
  /** Count in the window before it. */
  previous: number;
  /** Milliseconds since the current window began. */
  elapsedMs: number;
  windowMs: number;
}

/** Index of the fixed window holding `now`, and how far into it `now` is. */
export function windowAt(now: number, windowMs: number): { index: number; elapsedMs: number } {
  const index = Math.floor(now / windowMs);
  return { index, elapsedMs: now - index * windowMs };
}

export function windowEstimate(c: WindowCounts): number {
  return (c.previous * (c.windowMs - c.elapsedMs)) / c.windowMs + c.current;
}

/** Whether `cost` more fits under `limit` (the test the Redis script makes too). */
export function windowAdmits(c: WindowCounts, limit: number, cost: number): boolean {
  return (c.previous * (c.windowMs - c.elapsedMs)) / c.windowMs + c.current + cost <= limit;
}

/** Milliseconds until `cost` more would fit (0 if it fits now; Infinity if it never can: cost > limit). */
export function windowRetryAfterMs(c: WindowCounts, limit: number, cost: number): number {
  if (cost > limit) return Number.POSITIVE_INFINITY;
  if (windowAdmits(c, limit, cost)) return 0;
  const { windowMs: w, elapsedMs: e } = c;
  const room = limit - cost - c.current;
  if (room >= 0 && c.previous > 0) {
    // Within this window: the previous window's weight must fall to `room`.
    return Math.max(1, Math.ceil(w - e - (room * w) / c.previous));
  }
  // In the next window, this window's count becomes the weighted previous one.
  const nextRoom = limit - cost;
  const into = c.current > 0 ? Math.max(0, w - (nextRoom * w) / c.current) : 0;
  return Math.max(1, Math.ceil(w - e + into));
}

/** Milliseconds until the limit is back to its initial state (nothing counted), as OpenAI's x-ratelimit-reset-* report it. */
export function windowResetMs(c: WindowCounts): number {
  if (c.current > 0) return c.windowMs - c.elapsedMs + c.windowMs;
  if (c.previous > 0) return c.windowMs - c.elapsedMs;
  return 0;
}

/** Requests or tokens left under the limit now. */
export function windowRemaining(c: WindowCounts, limit: number): number {
  return Math.max(0, Math.floor(limit - windowEstimate(c)));
}
