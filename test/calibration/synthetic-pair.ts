import { SeededRandom } from "../../src/routing/learned/seeded-random.js";
import { makeReplayTable } from "../eval/make-replay-table.js";

/** n synthetic rows: a small model right 55% of the time, a large one 80%, and a router score that knows something. */
export function syntheticPair(n: number, seed: number) {
  const random = new SeededRandom(seed);
  const small: number[] = [];
  const large: number[] = [];
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const difficulty = random.next();
    small.push(random.next() > 0.1 + difficulty * 0.7 ? 1 : 0);
    large.push(random.next() > difficulty * 0.4 ? 1 : 0);
    scores[i] = Math.min(0.99, Math.max(0, difficulty + (random.next() - 0.5) * 0.4));
  }
  const table = makeReplayTable(["small", "large"], [small, large], [small.map(() => 0.0002), large.map(() => 0.004)]);
  return { table, scores };
}
