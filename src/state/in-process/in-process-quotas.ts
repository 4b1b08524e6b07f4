import { budgetPeriodEnd, budgetPeriodKey, toNanoUsd } from "../budget-period.js";
import type {
  BudgetReading,
  QuotaActual,
  QuotaDecision,
  QuotaLedger,
  QuotaRequest,
  QuotaReservation,
  RateLimitReading,
} from "../quota-ledger.js";
import { budgetTtlMs, readBudget, readRateLimit, rejectionOf, roundCost } from "../quota-readings.js";
import type { WindowCounts } from "../sliding-window.js";
import { windowAdmits, windowAt } from "../sliding-window.js";

interface WindowState {
  index: number;
  current: number;
  previous: number;
}

interface PeriodState {
  key: string;
  nanoUsd: number;
}

/**
 * Rate limits and budgets in this process (one gateway, and the fallback while Redis is away):
 * one sliding-window state per subject and limit, one counter per subject and budget, rolled
 * forward as time passes, so memory stays one entry per limit.
 */
export class InProcessQuotas implements QuotaLedger {
  private readonly windows = new Map<string, WindowState>();
  private readonly periods = new Map<string, PeriodState>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly shared = true,
  ) {}

  async reserve(request: QuotaRequest): Promise<QuotaDecision> {
    return this.reserveNow(request);
  }

  reserveNow(request: QuotaRequest): QuotaDecision {
    const now = this.now();
    const rates = (request.rateLimits ?? []).map((limit) => {
      const at = windowAt(now, limit.windowMs);
      const state = this.windowOf(request.subject, limit.name, limit.windowMs, at.index);
      const counts: WindowCounts = { current: state.current, previous: state.previous, elapsedMs: at.elapsedMs, windowMs: limit.windowMs };
      return { limit, state, counts, window: at.index, cost: roundCost(limit.cost) };
    });
    const budgets = (request.budgets ?? []).map((budget) => {
      const state = this.periodOf(request.subject, budget.name, budgetPeriodKey(budget.period, now));
      return { budget, state, nanoUsd: Math.max(0, toNanoUsd(budget.estimateUsd)), used: state.nanoUsd };
    });
    const allowed =
      rates.every((r) => windowAdmits(r.counts, r.limit.limit, r.cost)) && budgets.every((b) => b.used < toNanoUsd(b.budget.limitUsd));
    if (allowed) {
      for (const r of rates) r.state.current += r.cost;
      for (const b of budgets) b.state.nanoUsd += b.nanoUsd;
    }
    const rateLimits: RateLimitReading[] = rates.map((r) => readRateLimit(r.limit, r.counts, allowed ? r.cost : 0));
    const budgetReadings: BudgetReading[] = budgets.map((b) =>
      readBudget(b.budget, b.used + (allowed ? b.nanoUsd : 0), budgetPeriodEnd(b.budget.period, now)),
    );
    if (!allowed) {
      return {
        allowed,
        rejection: rejectionOf(
          rates.map((r) => ({ limit: r.limit, counts: r.counts, cost: r.cost })),
          budgets.map((b) => ({ budget: b.budget, usedNanoUsd: b.used })),
          now,
        ),
        rateLimits,
        budgets: budgetReadings,
        shared: this.shared,
      };
    }
    const reservation: QuotaReservation = {
      subject: request.subject,
      shared: this.shared,
      rate: rates.map((r) => ({ name: r.limit.name, windowMs: r.limit.windowMs, window: r.window, cost: r.cost })),
      budgets: budgets.map((b) => ({
        name: b.budget.name,
        periodKey: b.state.key,
        nanoUsd: b.nanoUsd,
        ttlMs: budgetTtlMs(b.budget.period, now),
      })),
    };
    return { allowed, reservation, rateLimits, budgets: budgetReadings, shared: this.shared };
  }

  async settle(reservation: QuotaReservation, actual: QuotaActual): Promise<void> {
    this.settleNow(reservation, actual);
  }

  settleNow(reservation: QuotaReservation, actual: QuotaActual): void {
    for (const r of reservation.rate) {
      const real = actual.costs?.[r.name];
      if (real === undefined) continue;
      const state = this.windows.get(windowKey(reservation.subject, r.name, r.windowMs));
      if (!state) continue;
      const delta = roundCost(real) - r.cost;
      if (state.index === r.window) state.current = Math.max(0, state.current + delta);
      else if (state.index === r.window + 1) state.previous = Math.max(0, state.previous + delta);
    }
    if (actual.costUsd === undefined) return;
    for (const b of reservation.budgets) {
      const state = this.periods.get(periodKey(reservation.subject, b.name));
      if (state && state.key === b.periodKey)
        state.nanoUsd = Math.max(0, state.nanoUsd + Math.max(0, toNanoUsd(actual.costUsd)) - b.nanoUsd);
    }
  }

  private windowOf(subject: string, name: string, windowMs: number, index: number): WindowState {
    const key = windowKey(subject, name, windowMs);
    let state = this.windows.get(key);
    if (!state) {
      state = { index, current: 0, previous: 0 };
      this.windows.set(key, state);
    } else if (index > state.index) {
      state.previous = state.index === index - 1 ? state.current : 0;
      state.current = 0;
      state.index = index;
    }
    return state;
  }

  private periodOf(subject: string, name: string, key: string): PeriodState {
    const id = periodKey(subject, name);
    let state = this.periods.get(id);
    if (!state || state.key !== key) {
      state = { key, nanoUsd: 0 };
      this.periods.set(id, state);
    }
    return state;
  }
}

const windowKey = (subject: string, name: string, windowMs: number) => `${subject}\u0000${name}\u0000${windowMs}`;
const periodKey = (subject: string, name: string) => `${subject}\u0000${name}`;
