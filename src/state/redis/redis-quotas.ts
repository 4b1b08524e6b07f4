import { budgetPeriodEnd, budgetPeriodKey, toNanoUsd } from "../budget-period.js";
import { InProcessQuotas } from "../in-process/in-process-quotas.js";
import type { QuotaActual, QuotaDecision, QuotaLedger, QuotaRequest, QuotaReservation } from "../quota-ledger.js";
import { budgetTtlMs, readBudget, readRateLimit, rejectionOf, roundCost } from "../quota-readings.js";
import type { WindowCounts } from "../sliding-window.js";
import { windowAt } from "../sliding-window.js";
import type { RedisConnection } from "./redis-connection.js";
import { UNAVAILABLE } from "./redis-connection.js";
import type { RedisKeys } from "./redis-keys.js";
import { quotaReserve, quotaSettle } from "./redis-scripts.js";

const MAX_PENDING_SETTLEMENTS = 10_000;

/**
 * Rate limits and budgets in Redis: one script checks every limit of a request and counts it
 * against all of them or none. While Redis is unreachable, limits that fail open are counted in
 * local state (this gateway alone: N gateways may then admit up to N times a limit), limits that
 * fail closed refuse; settlements of shared reservations wait in memory (bounded) and are applied
 * when Redis is back.
 */
export class RedisQuotas implements QuotaLedger {
  private readonly local: InProcessQuotas;
  private pending: { reservation: QuotaReservation; actual: QuotaActual }[] = [];
  private lostSettlements = 0;

  constructor(
    private readonly connection: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
  ) {
    this.local = new InProcessQuotas(now, false);
    connection.onReconnect(() => void this.applyPending());
  }

  /** Settlements dropped because too many waited while Redis was away. */
  get lost(): number {
    return this.lostSettlements;
  }

  async reserve(request: QuotaRequest): Promise<QuotaDecision> {
    const decision = await this.reserveShared(request);
    if (decision !== UNAVAILABLE) return decision;
    const closed = [...(request.rateLimits ?? []), ...(request.budgets ?? [])].find((limit) => limit.failClosed);
    if (closed) {
      return {
        allowed: false,
        rejection: { kind: "unavailable", name: closed.name, retryAfterMs: 1_000 },
        rateLimits: [],
        budgets: [],
        shared: false,
      };
    }
    return this.local.reserveNow(request);
  }

  async settle(reservation: QuotaReservation, actual: QuotaActual): Promise<void> {
    if (!reservation.shared) return this.local.settle(reservation, actual);
    if ((await this.settleShared(reservation, actual)) === UNAVAILABLE) this.keep(reservation, actual);
  }

  private async reserveShared(request: QuotaRequest): Promise<QuotaDecision | typeof UNAVAILABLE> {
    const now = this.now();
    const rates = (request.rateLimits ?? []).map((limit) => ({ limit, at: windowAt(now, limit.windowMs), cost: roundCost(limit.cost) }));
    const budgets = (request.budgets ?? []).map((budget) => ({
      budget,
      periodKey: budgetPeriodKey(budget.period, now),
      nanoUsd: Math.max(0, toNanoUsd(budget.estimateUsd)),
      ttlMs: budgetTtlMs(budget.period, now),
    }));
    const keys: string[] = [];
    const args: (string | number)[] = [rates.length, budgets.length];
    for (const { limit, at, cost } of rates) {
      keys.push(
        this.keys.rateWindow(request.subject, limit.name, limit.windowMs, at.index),
        this.keys.rateWindow(request.subject, limit.name, limit.windowMs, at.index - 1),
      );
      args.push(limit.limit, limit.windowMs, cost, at.elapsedMs, 2 * limit.windowMs + 1_000);
    }
    for (const b of budgets) {
      keys.push(this.keys.budget(request.subject, b.budget.name, b.periodKey));
      args.push(toNanoUsd(b.budget.limitUsd), b.nanoUsd, b.ttlMs);
    }
    const reply = await this.connection.run((redis) => quotaReserve.run(redis, keys, args));
    if (reply === UNAVAILABLE) return UNAVAILABLE;
    const values = (reply as number[]).map(Number);
    const allowed = values[0] === 1;
    const counted = rates.map((r, i) => ({
      ...r,
      counts: {
        current: values[1 + 2 * i] ?? 0,
        previous: values[2 + 2 * i] ?? 0,
        elapsedMs: r.at.elapsedMs,
        windowMs: r.limit.windowMs,
      } as WindowCounts,
    }));
    const used = budgets.map((b, j) => ({ ...b, used: values[1 + 2 * rates.length + j] ?? 0 }));
    const rateLimits = counted.map((r) => readRateLimit(r.limit, r.counts, allowed ? r.cost : 0));
    const budgetReadings = used.map((b) => readBudget(b.budget, b.used + (allowed ? b.nanoUsd : 0), budgetPeriodEnd(b.budget.period, now)));
    if (!allowed) {
      const rejection = rejectionOf(
        counted.map((r) => ({ limit: r.limit, counts: r.counts, cost: r.cost })),
        used.map((b) => ({ budget: b.budget, usedNanoUsd: b.used })),
        now,
      );
      return { allowed, rejection, rateLimits, budgets: budgetReadings, shared: true };
    }
    const reservation: QuotaReservation = {
      subject: request.subject,
      shared: true,
      rate: rates.map((r) => ({ name: r.limit.name, windowMs: r.limit.windowMs, window: r.at.index, cost: r.cost })),
      budgets: budgets.map((b) => ({ name: b.budget.name, periodKey: b.periodKey, nanoUsd: b.nanoUsd, ttlMs: b.ttlMs })),
    };
    return { allowed, reservation, rateLimits, budgets: budgetReadings, shared: true };
  }

  private settleShared(reservation: QuotaReservation, actual: QuotaActual): Promise<number | typeof UNAVAILABLE> {
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const r of reservation.rate) {
      const real = actual.costs?.[r.name];
      if (real === undefined) continue;
      keys.push(this.keys.rateWindow(reservation.subject, r.name, r.windowMs, r.window));
      args.push(roundCost(real) - r.cost, 2 * r.windowMs + 1_000);
    }
    if (actual.costUsd !== undefined) {
      for (const b of reservation.budgets) {
        keys.push(this.keys.budget(reservation.subject, b.name, b.periodKey));
        args.push(Math.max(0, toNanoUsd(actual.costUsd)) - b.nanoUsd, b.ttlMs);
      }
    }
    if (keys.length === 0) return Promise.resolve(0);
    return this.connection.run(async (redis) => Number(await quotaSettle.run(redis, keys, args)));
  }

  private keep(reservation: QuotaReservation, actual: QuotaActual): void {
    this.pending.push({ reservation, actual });
    if (this.pending.length > MAX_PENDING_SETTLEMENTS) {
      this.pending.shift();
      this.lostSettlements += 1;
    }
    this.connection.setPendingSettlements(this.pending.length);
  }

  private async applyPending(): Promise<void> {
    const waiting = this.pending;
    this.pending = [];
    for (const [i, { reservation, actual }] of waiting.entries()) {
      if ((await this.settleShared(reservation, actual)) === UNAVAILABLE) {
        this.pending = [...waiting.slice(i), ...this.pending];
        break;
      }
    }
    this.connection.setPendingSettlements(this.pending.length);
  }
}
