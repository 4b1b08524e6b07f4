import type { BudgetPeriod } from "./budget-period.js";

/** A rate limit on one subject (a key), e.g. 600 requests or 100,000 tokens per 60,000 ms. */
export interface RateLimit {
  /** What is counted, e.g. "requests" or "tokens"; settle() refers to it by this name. */
  name: string;
  limit: number;
  windowMs: number;
  /** What this request counts (1 for requests; the estimated tokens, settled later with the real count). Rounded up to an integer. */
  cost: number;
  /** Reject while the shared state is unreachable, instead of counting locally (fail-open, the default). */
  failClosed?: boolean;
}

/** A spend budget in USD per UTC day or month. */
export interface Budget {
  name: string;
  limitUsd: number;
  period: BudgetPeriod;
  /** The estimated cost of this call, reserved now and settled with the real cost after it. */
  estimateUsd: number;
  failClosed?: boolean;
}

export interface QuotaRequest {
  /** Whose limits these are (a virtual key id). */
  subject: string;
  rateLimits?: RateLimit[];
  budgets?: Budget[];
}

/** A rate limit after this decision, for `x-ratelimit-*` headers. */
export interface RateLimitReading {
  name: string;
  limit: number;
  remaining: number;
  /** Milliseconds until nothing is counted any more (x-ratelimit-reset-*). */
  resetMs: number;
}

export interface BudgetReading {
  name: string;
  limitUsd: number;
  /** Spent and reserved in this period. */
  usedUsd: number;
  remainingUsd: number;
  /** Epoch milliseconds when the period ends. */
  resetsAt: number;
}

export interface QuotaRejection {
  kind: "rate-limit" | "budget" | "unavailable";
  /** The limit or budget that refused. */
  name: string;
  /** When a retry could pass (Infinity: never, the request alone exceeds the limit). */
  retryAfterMs: number;
}

/** What a reservation holds, to settle it later. Opaque to callers. */
export interface QuotaReservation {
  readonly subject: string;
  /** Made in the shared state (false: in the local fallback). */
  readonly shared: boolean;
  readonly rate: readonly { name: string; windowMs: number; window: number; cost: number }[];
  readonly budgets: readonly { name: string; periodKey: string; nanoUsd: number; ttlMs: number }[];
}

export interface QuotaDecision {
  allowed: boolean;
  /** Why not, when not allowed. */
  rejection?: QuotaRejection;
  /** What to settle, when allowed. */
  reservation?: QuotaReservation;
  rateLimits: RateLimitReading[];
  budgets: BudgetReading[];
  /** Whether the shared state decided (false: local state, the shared one being unreachable). */
  shared: boolean;
}

/** The real figures of a call, to settle its reservation. */
export interface QuotaActual {
  /** Real counts per rate-limit name (e.g. tokens); names left out keep their reserved cost. */
  costs?: Record<string, number>;
  /** Real cost in USD, replacing the estimate on every budget. */
  costUsd?: number;
}

/**
 * Rate limits and budgets, checked and reserved atomically before a call and settled after it.
 * All-or-nothing: a request refused by one limit counts against none. Rate limits admit while
 * count + cost ≤ limit (sliding window); a budget admits while its spend (reservations
 * included) is under the limit, so spend may overshoot it by at most what was in flight when it
 * was reached.
 */
export interface QuotaLedger {
  reserve(request: QuotaRequest): Promise<QuotaDecision>;
  settle(reservation: QuotaReservation, actual: QuotaActual): Promise<void>;
}
