/** A budget's period: a UTC calendar day or month. */
export type BudgetPeriod = "day" | "month";

/** The key of the period holding `now`, e.g. `d2026-12-03` or `m2026-12` (UTC). */
export function budgetPeriodKey(period: BudgetPeriod, now: number): string {
  const iso = new Date(now).toISOString();
  return period === "day" ? `d${iso.slice(0, 10)}` : `m${iso.slice(0, 7)}`;
}

/** Epoch milliseconds when the period holding `now` ends (the next UTC midnight, or the first of the next month). */
export function budgetPeriodEnd(period: BudgetPeriod, now: number): number {
  const date = new Date(now);
  return period === "day"
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** USD as integer nano-dollars, so counters add up exactly (Redis INCRBY, 2^53 nano-USD ≈ 9 million USD). */
export function toNanoUsd(usd: number): number {
  return Math.round(usd * 1e9);
}

export function fromNanoUsd(nano: number): number {
  return nano / 1e9;
}
