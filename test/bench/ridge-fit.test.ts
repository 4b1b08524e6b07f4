import { describe, expect, it } from "vitest";
import { ridgeFit } from "../../bench/support/ridge-fit.js";

describe("ridgeFit", () => {
  it("recovers the coefficients of an exact linear relation", () => {
    const x = [
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 1],
      [2, -1, 1],
      [0.5, 3, 1],
    ];
    const y = x.map(([a = 0, b = 0]) => 2 * a - 3 * b + 0.5);
    const beta = ridgeFit(x, y);
    expect(beta[0]).toBeCloseTo(2, 5);
    expect(beta[1]).toBeCloseTo(-3, 5);
    expect(beta[2]).toBeCloseTo(0.5, 5);
  });

  it("matches the least-squares solution of an overdetermined system", () => {
    // y = 1, 2, 4 at x = 0, 1, 2: slope 1.5, intercept 5/6.
    const beta = ridgeFit(
      [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
      [1, 2, 4],
    );
    expect(beta[0]).toBeCloseTo(1.5, 5);
    expect(beta[1]).toBeCloseTo(5 / 6, 5);
  });

  it("gives finite predictions when two columns are identical", () => {
    const x = [
      [1, 1, 1],
      [0, 0, 1],
      [1, 1, 1],
      [0, 0, 1],
    ];
    const beta = ridgeFit(x, [3, 1, 3, 1]);
    expect(beta.every(Number.isFinite)).toBe(true);
    expect((beta[0] ?? 0) + (beta[1] ?? 0) + (beta[2] ?? 0)).toBeCloseTo(3, 4);
    expect(beta[2]).toBeCloseTo(1, 4);
  });
});
