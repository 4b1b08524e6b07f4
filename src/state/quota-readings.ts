import type { BudgetPeriod } from "./budget-period.js";
import { budgetPeriodEnd, fromNanoUsd, toNanoUsd } from "./budget-period.js";
import type { Budget, BudgetReading, QuotaRejection, RateLimit, RateLimitReading } from "./quota-ledger.js";
import type { WindowCounts } from "./sliding-window.js";
import { windowAdmits, windowRemaining, windowResetMs, windowRetryAfterMs } from "./sliding-window.js";

const WEEK_MS = 7 * 24 * 3_600_000;

/** Costs count as whole units (INCRBY): rounded up, never negative. */
export function roundCost(cost: number): number {
  if (!Number.isFinite(cost)) throw new RangeError(`a rate-limit cost must be a finite number, got ${cost}`);
  return Math.max(0, Math.ceil(cost));
}

export function readRateLimit(limit: RateLimit, counts: WindowCounts, added: number): RateLimitReading {
  const after = { ...counts, current: counts.current + added };
  return { name: limit.name, limit: limit.limit, remaining: windowRemaining(after, limit.limit), resetMs: windowResetMs(after) };
}

export function readBudget(budget: Budget, usedNanoUsd: number, resetsAt: number): BudgetReading {
  const usedUsd = fromNanoUsd(usedNanoUsd);
  return { name: budget.name, limitUsd: budget.limitUsd, usedUsd, remainingUsd: Math.max(0, budget.limitUsd - usedUsd), resetsAt };
}

/** Budget counters outlive their period by a week, so recent spend can still be reported. */
export function budgetTtlMs(period: BudgetPeriod, now: number): number {
  return budgetPeriodEnd(period, now) - now + WEEK_MS;
}

/** The refusal to report: of every limit that refused, the one that lifts last (so a retry after it passes them all). */
export function rejectionOf(
  rates: readonly { limit: RateLimit; counts: WindowCounts; cost: number }[],
  budgets: readonly { budget: Budget; usedNanoUsd: number }[],
  now: number,
): QuotaRejection {
  let worst: QuotaRejection | undefined;
  const consider = (candidate: QuotaRejection) => {
    if (!worst || candidate.retryAfterMs > worst.retryAfterMs) worst = candidate;
  };
  for (const r of rates) {
    if (!windowAdmits(r.counts, r.limit.limit, r.cost)) {
      consider({ kind: "rate-limit", name: r.limit.name, retryAfterMs: windowRetryAfterMs(r.counts, r.limit.limit, r.cost) });
    }
  }
  for (const b of budgets) {
    if (b.usedNanoUsd >= toNanoUsd(b.budget.limitUsd)) {
      consider({ kind: "budget", name: b.budget.name, retryAfterMs: budgetPeriodEnd(b.budget.period, now) - now });
    }
  }
  if (!worst) throw new Error("rejectionOf called for an admitted request");
  return worst;
}
