/**
 * The daily shadow budget in USD, per UTC day, with per-router shares: a router with a
 * `budgetShare` may spend that share of the day's budget; routers without one spend from a
 * common pool of what the shares leave. A job reserves its estimated cost before it starts (so
 * concurrent jobs cannot overshoot together) and settles the real cost when it ends.
 */
export class ShadowBudget {
  private day = -1;
  /** Spent per pool: a router with a share is its own pool, the others share "". */
  private readonly pools = new Map<string, number>();
  private readonly byRouter = new Map<string, number>();
  private total = 0;
  private readonly unshared: number;

  constructor(
    private readonly dailyUsd: number,
    private readonly shares: ReadonlyMap<string, number | undefined>,
    private readonly now: () => number = Date.now,
  ) {
    let shared = 0;
    for (const share of shares.values()) shared += share ?? 0;
    this.unshared = Math.max(0, 1 - shared);
  }

  /** USD the pool of this router may spend per day. */
  capOf(router: string): number {
    return this.dailyUsd * (this.shares.get(router) ?? this.unshared);
  }

  /** Reserves `usd` for a job of `router`; false (nothing reserved) when it would pass the router's cap or the day's. */
  reserve(router: string, usd: number): boolean {
    this.rollDay();
    const spent = this.pools.get(this.poolOf(router)) ?? 0;
    if (spent + usd > this.capOf(router) + 1e-12 || this.total + usd > this.dailyUsd + 1e-12) return false;
    this.add(router, usd);
    return true;
  }

  /** Replaces a reservation made on `reservedDay` by the real cost (a new day starts from zero: only the cost counts). */
  settle(router: string, reservedUsd: number, actualUsd: number, reservedDay: number): void {
    this.rollDay();
    this.add(router, reservedDay === this.day ? actualUsd - reservedUsd : actualUsd);
  }

  /** The current UTC day number (for `settle`). */
  currentDay(): number {
    this.rollDay();
    return this.day;
  }

  /** USD spent (and reserved) today, by one router or in all. */
  spentToday(router?: string): number {
    this.rollDay();
    return router === undefined ? this.total : (this.byRouter.get(router) ?? 0);
  }

  private poolOf(router: string): string {
    return this.shares.get(router) === undefined ? "" : router;
  }

  private add(router: string, usd: number): void {
    const pool = this.poolOf(router);
    this.pools.set(pool, Math.max(0, (this.pools.get(pool) ?? 0) + usd));
    this.byRouter.set(router, Math.max(0, (this.byRouter.get(router) ?? 0) + usd));
    this.total = Math.max(0, this.total + usd);
  }

  private rollDay(): void {
    const day = Math.floor(this.now() / 86_400_000);
    if (day === this.day) return;
    this.day = day;
    this.pools.clear();
    this.byRouter.clear();
    this.total = 0;
  }
}
