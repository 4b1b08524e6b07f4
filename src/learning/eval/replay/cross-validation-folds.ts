import { SeededRandom } from "../../../routing/learned/seeded-random.js";

/** Row indices shuffled with `seed` and dealt into k folds of near-equal size. */
export function crossValidationFolds(rows: number, k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`folds must be an integer ≥ 2 (got ${k})`);
  if (rows < k) throw new Error(`${rows} rows cannot be split into ${k} folds`);
  const order = shuffledIndices(rows, seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  for (const [position, row] of order.entries()) folds[position % k]!.push(row);
  return folds.map((fold) => fold.sort((a, b) => a - b));
}

/** 0..n−1 in a seeded random order (Fisher–Yates). */
export function shuffledIndices(n: number, seed: number): number[] {
  const random = new SeededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** A seeded split of 0..n−1 into two halves (calibration, evaluation). */
export function splitInHalves(n: number, seed: number): [number[], number[]] {
  const order = shuffledIndices(n, seed);
  const half = Math.floor(n / 2);
  return [order.slice(0, half).sort((a, b) => a - b), order.slice(half).sort((a, b) => a - b)];
}
