import { describe, expect, it } from "vitest";
import { parseLimit, parseSince } from "../../../src/cli/logs/parse-since.js";

const now = Date.UTC(2026, 10, 27, 12, 0, 0);

describe("parseSince", () => {
  it("reads durations back from now", () => {
    expect(parseSince("90s", now)).toBe(now - 90_000);
    expect(parseSince("15m", now)).toBe(now - 15 * 60_000);
    expect(parseSince("1h", now)).toBe(now - 3_600_000);
    expect(parseSince("1.5h", now)).toBe(now - 5_400_000);
    expect(parseSince("2d", now)).toBe(now - 2 * 86_400_000);
    expect(parseSince("1w", now)).toBe(now - 7 * 86_400_000);
  });

  it("reads dates and date-times as UTC unless they carry an offset", () => {
    expect(parseSince("2026-11-27", now)).toBe(Date.UTC(2026, 10, 27));
    expect(parseSince("2026-11-27T09:30", now)).toBe(Date.UTC(2026, 10, 27, 9, 30));
    expect(parseSince("2026-11-27 09:30:15", now)).toBe(Date.UTC(2026, 10, 27, 9, 30, 15));
    expect(parseSince("2026-11-27T09:30+02:00", now)).toBe(Date.UTC(2026, 10, 27, 7, 30));
  });

  it("rejects anything else with a message naming the option and the value", () => {
    for (const bad of ["yesterday", "1y", "-1h", "2026-13-45", ""]) {
      expect(() => parseSince(bad, now)).toThrow(`--since: expected a duration like 30m, 1h, 2d or a date like 2026-11-27, got "${bad}"`);
    }
  });
});

describe("parseLimit", () => {
  it("accepts whole numbers and rejects the rest", () => {
    expect(parseLimit("0")).toBe(0);
    expect(parseLimit("50")).toBe(50);
    for (const bad of ["-1", "2.5", "ten", ""]) expect(() => parseLimit(bad)).toThrow(/--limit: expected a whole number/);
  });
});
