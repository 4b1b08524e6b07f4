import { describe, expect, it } from "vitest";
import { budgetPeriodEnd, budgetPeriodKey, fromNanoUsd, toNanoUsd } from "../../src/state/budget-period.js";
import type { WindowCounts } from "../../src/state/sliding-window.js";
import { windowAdmits, windowAt, windowRemaining, windowResetMs, windowRetryAfterMs } from "../../src/state/sliding-window.js";
import { mulberry32 } from "../support/mulberry32.js";

/** The counts `ms` later, if nothing more is counted: the window rolls over as time passes. */
function later(c: WindowCounts, ms: number): WindowCounts {
  const elapsed = c.elapsedMs + ms;
  const rolled = Math.floor(elapsed / c.windowMs);
  if (rolled === 0) return { ...c, elapsedMs: elapsed };
  return { current: 0, previous: rolled === 1 ? c.current : 0, elapsedMs: elapsed - rolled * c.windowMs, windowMs: c.windowMs };
}

describe("sliding-window counter", () => {
  it("places an instant in its fixed window", () => {
    expect(windowAt(125_000, 60_000)).toEqual({ index: 2, elapsedMs: 5_000 });
  });

  it("gives the earliest retry time: refused one millisecond before it, admitted at it (10,000 random cases)", () => {
    const random = mulberry32(14);
    for (let n = 0; n < 10_000; n++) {
      const windowMs = 1_000 + Math.floor(random() * 120_000);
      const limit = 1 + Math.floor(random() * 500);
      const c: WindowCounts = {
        current: Math.floor(random() * limit * 1.2),
        previous: Math.floor(random() * limit * 1.5),
        elapsedMs: Math.floor(random() * windowMs),
        windowMs,
      };
      const cost = 1 + Math.floor(random() * limit);
      const wait = windowRetryAfterMs(c, limit, cost);
      if (windowAdmits(c, limit, cost)) {
        expect(wait).toBe(0);
        continue;
      }
      expect(wait).toBeGreaterThan(0);
      expect(windowAdmits(later(c, wait), limit, cost)).toBe(true);
      expect(windowAdmits(later(c, wait - 1), limit, cost)).toBe(false);
    }
  });

  it("never admits a cost above the limit, and says so", () => {
    expect(windowRetryAfterMs({ current: 0, previous: 0, elapsedMs: 0, windowMs: 60_000 }, 10, 11)).toBe(Number.POSITIVE_INFINITY);
  });

  it("reports what remains and when the limit is back to its initial state", () => {
    const c = { current: 4, previous: 6, elapsedMs: 30_000, windowMs: 60_000 };
    expect(windowRemaining(c, 10)).toBe(3);
    expect(windowResetMs(c)).toBe(90_000);
    expect(windowResetMs({ ...c, current: 0 })).toBe(30_000);
    expect(windowResetMs({ ...c, current: 0, previous: 0 })).toBe(0);
  });
});

describe("budget periods", () => {
  it("are UTC days and months, ending at the next UTC midnight or first of the month", () => {
    const t = Date.UTC(2028, 1, 29, 23, 59, 59, 999);
    expect(budgetPeriodKey("day", t)).toBe("d2028-02-29");
    expect(budgetPeriodKey("month", t)).toBe("m2028-02");
    expect(budgetPeriodEnd("day", t)).toBe(Date.UTC(2028, 2, 1));
    expect(budgetPeriodEnd("month", Date.UTC(2027, 11, 31, 12))).toBe(Date.UTC(2028, 0, 1));
  });

  it("count USD in whole nano-dollars, so sums of small costs add up exactly", () => {
    let nano = 0;
    for (let i = 0; i < 1_000; i++) nano += toNanoUsd(0.0000153);
    expect(fromNanoUsd(nano)).toBe(0.0153);
  });
});
