import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BreakerPass, BreakerPermit } from "../../src/state/shared-breakers.js";
import type { SharedState } from "../../src/state/shared-state.js";
import { ManualClock } from "../support/manual-clock.js";

export const POLICY = { failureThreshold: 3, cooldownMs: 1_000, probeTimeoutMs: 5_000 };

export interface StateHarness {
  /** Two gateways on the same state (in-process: the same object twice). */
  a: SharedState;
  b: SharedState;
  /** Resolves once each gateway has heard what the other published (in-process: at once). */
  heard(): Promise<void>;
  cleanup(): Promise<void>;
}

const MINUTE = 60_000;
const passOf = (permit: BreakerPermit): BreakerPass => {
  if (!permit.allowed) throw new Error(`expected a pass, got a refusal (retry in ${permit.retryInMs} ms)`);
  return permit;
};

/** The behaviour every SharedState must share: two gateways see one set of breakers, counters and versions. */
export function describeSharedStateConformance(name: string, create: (clock: ManualClock) => Promise<StateHarness>): void {
  describe(`${name} (SharedState conformance)`, () => {
    let clock: ManualClock;
    let h: StateHarness;
    beforeEach(async () => {
      clock = new ManualClock();
      h = await create(clock);
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe("circuit breakers", () => {
      it("let calls through a closed circuit, none of them a probe", async () => {
        const permit = passOf(await h.a.breakers.acquire("m"));
        expect(permit.probe).toBe(false);
        await h.a.breakers.onSuccess("m", permit);
        expect(h.a.breakers.view("m")).toEqual({ state: "closed", failures: 0, retryInMs: 0 });
      });

      it("open on every gateway after the threshold of consecutive failures, wherever they happened", async () => {
        await h.a.breakers.onFailure("m", passOf(await h.a.breakers.acquire("m")));
        await h.b.breakers.onFailure("m", passOf(await h.b.breakers.acquire("m")));
        expect((await h.a.breakers.acquire("m")).allowed).toBe(true);
        await h.a.breakers.onFailure("m", passOf(await h.a.breakers.acquire("m")));
        await h.heard();
        for (const gateway of [h.a, h.b]) {
          expect(await gateway.breakers.acquire("m")).toEqual({ allowed: false, retryInMs: 1_000 });
          expect(gateway.breakers.view("m")).toMatchObject({ state: "open", failures: 3 });
        }
        expect((await h.b.breakers.acquire("other")).allowed).toBe(true);
      });

      it("restart the count of consecutive failures after a success on any gateway", async () => {
        for (let i = 0; i < 2; i++) await h.a.breakers.onFailure("m", passOf(await h.a.breakers.acquire("m")));
        await h.heard();
        await h.b.breakers.onSuccess("m", passOf(await h.b.breakers.acquire("m")));
        await h.heard();
        for (let i = 0; i < 2; i++) await h.a.breakers.onFailure("m", passOf(await h.a.breakers.acquire("m")));
        await h.heard();
        expect((await h.b.breakers.acquire("m")).allowed).toBe(true);
        expect(h.a.breakers.view("m")).toMatchObject({ state: "closed", failures: 2 });
      });

      it("let exactly one probe through after the cooldown, across gateways; its success closes the circuit everywhere", async () => {
        for (let i = 0; i < 3; i++) await h.a.breakers.onFailure("m", passOf(await h.a.breakers.acquire("m")));
        await h.heard();
        clock.advance(1_000);
        expect(h.b.breakers.view("m").state).toBe("half-open");
        const permits = await Promise.all([h.a, h.b, h.a, h.b, h.a, h.b].map((g) => g.breakers.acquire("m")));
        const probes = permits.filter((p) => p.allowed);
        expect(probes).toHaveLength(1);
        expect(probes[0]).toMatchObject({ allowed: true, probe: true });
        const holder = permits.indexOf(probes[0] as BreakerPermit) % 2 === 0 ? h.a : h.b;
        await holder.breakers.onSuccess("m", probes[0] as BreakerPass);
        await h.heard();
        for (const gateway of [h.a, h.b]) {
          expect(await gateway.breakers.acquire("m")).toMatchObject({ allowed: true, probe: false });
          expect(gateway.breakers.view("m")).toEqual({ state: "closed", failures: 0, retryInMs: 0 });
        }
      });

      it("reopen for another cooldown when the probe fails", async () => {
        for (let i = 0; i < 3; i++) await h.a.breakers.onFailure("m", passOf(await h.a.breakers.acquire("m")));
        await h.heard();
        clock.advance(1_000);
        const probe = passOf(await h.b.breakers.acquire("m"));
        expect(probe.probe).toBe(true);
        clock.advance(300);
        await h.b.breakers.onFailure("m", probe);
        await h.heard();
        expect(await h.a.breakers.acquire("m")).toEqual({ allowed: false, retryInMs: 1_000 });
        clock.advance(1_000);
        expect(passOf(await h.a.breakers.acquire("m")).probe).toBe(true);
      });

      it("free the probe slot when its call ends without a verdict, or when its holder vanished for probeTimeoutMs", async () => {
        for (let i = 0; i < 3; i++) await h.a.breakers.onFailure("m", passOf(await h.a.breakers.acquire("m")));
        await h.heard();
        clock.advance(1_000);
        const first = passOf(await h.a.breakers.acquire("m"));
        expect((await h.b.breakers.acquire("m")).allowed).toBe(false);
        await h.a.breakers.release("m", first);
        const second = passOf(await h.b.breakers.acquire("m"));
        expect(second.probe).toBe(true);
        // The holder of `second` disappears (a gateway killed mid-probe).
        clock.advance(4_999);
        expect(await h.a.breakers.acquire("m")).toEqual({ allowed: false, retryInMs: 1 });
        clock.advance(1);
        expect(passOf(await h.a.breakers.acquire("m")).probe).toBe(true);
        // A late verdict from the vanished holder's token no longer counts as the probe's.
        await h.b.breakers.release("m", second);
        expect((await h.b.breakers.acquire("m")).allowed).toBe(false);
      });
    });

    describe("rate limits", () => {
      const requests = (limit: number, extra: object = {}) => ({ name: "requests", limit, windowMs: MINUTE, cost: 1, ...extra });

      it("admit up to the limit per window across gateways, then refuse with when to retry", async () => {
        const readings: number[] = [];
        for (const gateway of [h.a, h.b, h.a]) {
          const decision = await gateway.quotas.reserve({ subject: "k1", rateLimits: [requests(3)] });
          expect(decision.allowed).toBe(true);
          readings.push(decision.rateLimits[0]?.remaining ?? -1);
        }
        expect(readings).toEqual([2, 1, 0]);
        const refused = await h.b.quotas.reserve({ subject: "k1", rateLimits: [requests(3)] });
        expect(refused).toMatchObject({
          allowed: false,
          rejection: { kind: "rate-limit", name: "requests" },
          rateLimits: [{ remaining: 0 }],
        });
        // Next window: the previous one weighs 3 × (60 − 20)/60 = 2 at 20 s in, so one more fits.
        expect(refused.rejection?.retryAfterMs).toBe(80_000);
        expect((await h.a.quotas.reserve({ subject: "k2", rateLimits: [requests(3)] })).allowed).toBe(true);
        clock.advance(80_000);
        expect((await h.a.quotas.reserve({ subject: "k1", rateLimits: [requests(3)] })).allowed).toBe(true);
        expect((await h.a.quotas.reserve({ subject: "k1", rateLimits: [requests(3)] })).allowed).toBe(false);
      });

      it("slide: the previous window counts in proportion to its overlap, so no double burst at a window edge", async () => {
        clock.advance(30_000);
        for (let i = 0; i < 10; i++) expect((await h.a.quotas.reserve({ subject: "k", rateLimits: [requests(10)] })).allowed).toBe(true);
        clock.advance(30_000); // next window starts: the previous 10 still weigh 10
        const atEdge = await h.b.quotas.reserve({ subject: "k", rateLimits: [requests(10)] });
        expect(atEdge.allowed).toBe(false);
        expect(atEdge.rejection?.retryAfterMs).toBe(6_000);
        clock.advance(30_000); // halfway: the previous window weighs 5
        let admitted = 0;
        for (let i = 0; i < 10; i++) if ((await h.b.quotas.reserve({ subject: "k", rateLimits: [requests(10)] })).allowed) admitted += 1;
        expect(admitted).toBe(5);
      });

      it("count a refused request against none of its limits (all or nothing)", async () => {
        const tokens = (cost: number) => ({ name: "tokens", limit: 100, windowMs: MINUTE, cost });
        const big = await h.a.quotas.reserve({ subject: "k", rateLimits: [requests(10), tokens(150)] });
        expect(big).toMatchObject({
          allowed: false,
          rejection: { kind: "rate-limit", name: "tokens", retryAfterMs: Number.POSITIVE_INFINITY },
        });
        const small = await h.b.quotas.reserve({ subject: "k", rateLimits: [requests(10), tokens(40)] });
        expect(small.rateLimits.map((r) => r.remaining)).toEqual([9, 60]);
      });

      it("settle tokens with the real count: an overestimate is given back, an underestimate charged", async () => {
        const tokens = (cost: number) => ({ name: "tokens", limit: 1_000, windowMs: MINUTE, cost });
        const first = await h.a.quotas.reserve({ subject: "k", rateLimits: [requests(100), tokens(600)] });
        expect(first.rateLimits[1]?.remaining).toBe(400);
        await h.a.quotas.settle(first.reservation!, { costs: { tokens: 100 } });
        const second = await h.b.quotas.reserve({ subject: "k", rateLimits: [requests(100), tokens(500)] });
        expect(second.rateLimits.map((r) => r.remaining)).toEqual([98, 400]);
        await h.b.quotas.settle(second.reservation!, { costs: { tokens: 800 } });
        const third = await h.a.quotas.reserve({ subject: "k", rateLimits: [requests(100), tokens(100)] });
        expect(third).toMatchObject({ allowed: true, rateLimits: [{ remaining: 97 }, { remaining: 0 }] });
      });

      it("never admit more than the limit when many gateways ask at once", async () => {
        const decisions = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 ? h.a : h.b).quotas.reserve({ subject: "burst", rateLimits: [requests(10)] })),
        );
        expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      });
    });

    describe("budgets", () => {
      const daily = (estimateUsd: number) => ({ name: "daily", limitUsd: 1, period: "day" as const, estimateUsd });

      it("reserve estimates while spend is under the limit, refuse at it until the period ends, and settle with real costs", async () => {
        const first = await h.a.quotas.reserve({ subject: "k", budgets: [daily(0.6)] });
        expect(first.budgets[0]).toMatchObject({ usedUsd: 0.6, remainingUsd: 0.4 });
        const second = await h.b.quotas.reserve({ subject: "k", budgets: [daily(0.6)] });
        expect(second.allowed).toBe(true);
        const over = await h.a.quotas.reserve({ subject: "k", budgets: [daily(0.01)] });
        expect(over).toMatchObject({ allowed: false, rejection: { kind: "budget", name: "daily" } });
        const midnight = Date.UTC(2027, 0, 16);
        expect(over.rejection?.retryAfterMs).toBe(midnight - clock.time);
        expect(over.budgets[0]?.resetsAt).toBe(midnight);
        await h.a.quotas.settle(first.reservation!, { costUsd: 0.1 });
        const after = await h.b.quotas.reserve({ subject: "k", budgets: [daily(0.05)] });
        expect(after.allowed).toBe(true);
        expect(after.budgets[0]?.usedUsd).toBeCloseTo(0.75, 9);
        clock.time = midnight;
        const nextDay = await h.a.quotas.reserve({ subject: "k", budgets: [daily(0.5)] });
        expect(nextDay.budgets[0]).toMatchObject({ usedUsd: 0.5, resetsAt: Date.UTC(2027, 0, 17) });
      });

      it("let concurrent requests overshoot only by what is in flight when the limit is reached", async () => {
        const decisions = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? h.a : h.b).quotas.reserve({ subject: "race", budgets: [daily(0.3)] })),
        );
        // 0 → 0.3 → 0.6 → 0.9 are under $1: exactly four are admitted, whoever asks.
        expect(decisions.filter((d) => d.allowed)).toHaveLength(4);
      });

      it("keep monthly budgets by UTC calendar month", async () => {
        const monthly = { name: "monthly", limitUsd: 10, period: "month" as const, estimateUsd: 4 };
        await h.a.quotas.reserve({ subject: "k", budgets: [monthly] });
        clock.time = Date.UTC(2027, 0, 31, 23, 59);
        expect((await h.b.quotas.reserve({ subject: "k", budgets: [monthly] })).budgets[0]?.usedUsd).toBe(8);
        clock.time = Date.UTC(2027, 1, 1);
        expect((await h.b.quotas.reserve({ subject: "k", budgets: [monthly] })).budgets[0]).toMatchObject({
          usedUsd: 4,
          resetsAt: Date.UTC(2027, 2, 1),
        });
      });
    });

    describe("artifact versions", () => {
      it("start unset, and a version set on one gateway is read and peeked on the other", async () => {
        expect(await h.b.artifacts.get("router/auto")).toBeNull();
        expect(await h.a.artifacts.set("router/auto", "v1")).toBe(true);
        expect(await h.b.artifacts.get("router/auto")).toBe("v1");
        expect(h.b.artifacts.peek("router/auto")).toBe("v1");
      });

      it("tell watchers on every gateway of each change, and stop when unsubscribed", async () => {
        const heard: (string | null)[] = [];
        const stop = h.b.artifacts.watch("router/auto", (version) => heard.push(version));
        await h.b.artifacts.get("router/auto");
        await h.a.artifacts.set("router/auto", "v1");
        await h.heard();
        await h.a.artifacts.set("router/auto", "v2");
        await h.heard();
        expect(heard).toEqual(["v1", "v2"]);
        expect(h.b.artifacts.peek("router/auto")).toBe("v2");
        stop();
        await h.a.artifacts.set("router/auto", "v3");
        await h.heard();
        expect(heard).toEqual(["v1", "v2"]);
        expect(h.b.artifacts.peek("router/auto")).toBe("v3");
      });

      it("compare-and-set: only one of two promotions from the same version wins", async () => {
        expect(await h.a.artifacts.set("r", "v1", { ifVersion: null })).toBe(true);
        expect(await h.b.artifacts.set("r", "other", { ifVersion: null })).toBe(false);
        const [x, y] = await Promise.all([
          h.a.artifacts.set("r", "v2-a", { ifVersion: "v1" }),
          h.b.artifacts.set("r", "v2-b", { ifVersion: "v1" }),
        ]);
        expect([x, y].filter(Boolean)).toHaveLength(1);
        expect(await h.a.artifacts.get("r")).toBe(x ? "v2-a" : "v2-b");
      });
    });

    it("reports itself connected", () => {
      expect(h.a.status()).toMatchObject({ state: "connected", reconnects: 0, pendingSettlements: 0 });
    });
  });
}
