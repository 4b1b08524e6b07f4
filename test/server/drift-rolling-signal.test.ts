import { describe, expect, it } from "vitest";
import { RollingSignal, wilson } from "../../src/server/drift/rolling-signal.js";

describe("drift signal", () => {
  it("gives the Wilson 95% interval of a proportion", () => {
    const interval = wilson(0.5, 100);
    expect(interval.low).toBeCloseTo(0.404, 3);
    expect(interval.high).toBeCloseTo(0.596, 3);
    expect(wilson(0, 10).low).toBe(0);
  });

  it("never leaves its band before minSamples, however far off the first values are", () => {
    const signal = new RollingSignal({ window: 100, minSamples: 30, binary: true });
    signal.expect({ value: 0.1, low: 0.05, high: 0.15 });
    for (let i = 0; i < 29; i++) signal.observe(1);
    expect(signal.read().outOfBand).toBe(false);
    signal.observe(1);
    expect(signal.read()).toMatchObject({ samples: 30, outOfBand: true, bandSource: "calibration" });
  });

  it("stays in band when the live share matches the calibration", () => {
    const signal = new RollingSignal({ window: 300, minSamples: 30, binary: true });
    signal.expect({ value: 1 / 3, low: 0.27, high: 0.4 });
    for (let i = 0; i < 300; i++) signal.observe(i % 3 === 0 ? 1 : 0);
    const reading = signal.read();
    expect(reading.current?.value).toBeCloseTo(1 / 3, 2);
    expect(reading.outOfBand).toBe(false);
  });

  it("without a calibration, compares the sliding window with its first window", () => {
    const signal = new RollingSignal({ window: 50, minSamples: 50, binary: false });
    for (let i = 0; i < 50; i++) signal.observe(0.8 + (i % 2) * 0.1);
    expect(signal.read()).toMatchObject({ bandSource: "baseline", outOfBand: false });
    for (let i = 0; i < 50; i++) signal.observe(0.3 + (i % 2) * 0.1);
    const reading = signal.read();
    expect(reading.current?.value).toBeCloseTo(0.35, 5);
    expect(reading.band?.value).toBeCloseTo(0.85, 5);
    expect(reading.outOfBand).toBe(true);
  });

  it("starts over (window and baseline) after a reset", () => {
    const signal = new RollingSignal({ window: 20, minSamples: 10, binary: true });
    for (let i = 0; i < 20; i++) signal.observe(1);
    signal.reset();
    expect(signal.read()).toMatchObject({ samples: 0, current: null, band: null, outOfBand: false });
  });
});
