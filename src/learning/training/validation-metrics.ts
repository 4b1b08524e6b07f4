/**
 * The few metrics `rightsize train` prints for its held-out split and the routing benchmarks
 * use (APGR for a pair, AUC, folds). The evaluation engine (`rightsize eval`) has the full set.
 */

/**
 * The performance-gap-recovered curve of a router's scores: routing the highest-scoring rows to
 * the strong model first, one point per group of tied scores — the share of calls `x` sent to the
 * strong model after the group and the share of the weak→strong gap `pgr` recovered. Null when
 * the gap is 0 (or there are no rows).
 */
function gapRecoveredCurve(
  scores: ArrayLike<number>,
  weak: ArrayLike<number>,
  strong: ArrayLike<number>,
): { x: number; pgr: number }[] | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  let gap = 0;
  for (let i = 0; i < n; i++) gap += (strong[i] ?? 0) - (weak[i] ?? 0);
  if (n === 0 || gap === 0) return null;
  const points: { x: number; pgr: number }[] = [];
  let gained = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const tie = scores[order[i] ?? 0] ?? 0;
    while (j < n && (scores[order[j] ?? 0] ?? 0) === tie) {
      const row = order[j] ?? 0;
      gained += (strong[row] ?? 0) - (weak[row] ?? 0);
      j++;
    }
    points.push({ x: j / n, pgr: gained / gap });
    i = j;
  }
  return points;
}

/**
 * Average Performance Gap Recovered: the mean, over every share of calls sent to the strong
 * model (routing the highest-scoring rows first; tied scores interpolated linearly), of
 * (quality − weak quality) / (strong quality − weak quality).
 */
export function apgr(scores: ArrayLike<number>, weak: ArrayLike<number>, strong: ArrayLike<number>): number {
  const curve = gapRecoveredCurve(scores, weak, strong);
  if (!curve) return Number.NaN;
  let area = 0;
  let previous = { x: 0, pgr: 0 };
  for (const point of curve) {
    area += ((point.pgr + previous.pgr) / 2) * (point.x - previous.x);
    previous = point;
  }
  return area;
}

/**
 * Call-Performance Threshold (RouteLLM): the smallest share of calls to the strong model, routing
 * the highest-scoring rows first, at which `recovered` (e.g. 0.5) of the weak→strong gap is
 * recovered; tied scores are interpolated linearly as in `apgr`. NaN when the gap is 0.
 */
export function cpt(scores: ArrayLike<number>, weak: ArrayLike<number>, strong: ArrayLike<number>, recovered: number): number {
  const curve = gapRecoveredCurve(scores, weak, strong);
  if (!curve) return Number.NaN;
  let previous = { x: 0, pgr: 0 };
  for (const { x, pgr } of curve) {
    if (pgr >= recovered)
      return pgr === previous.pgr ? x : previous.x + ((recovered - previous.pgr) / (pgr - previous.pgr)) * (x - previous.x);
    previous = { x, pgr };
  }
  return 1;
}

/** Deterministic k-fold assignment of n rows (seeded shuffle). */
export function foldsOf(n: number, folds: number, seed: number): Int32Array {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const fold = new Int32Array(n);
  order.forEach((row, position) => {
    fold[row] = position % folds;
  });
  return fold;
}

/** Area under the ROC curve of `scores` for binary `labels` (ties count half). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j < order.length && (scores[order[j] ?? 0] ?? 0) === (scores[order[i] ?? 0] ?? 0)) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (labels[order[k] ?? 0]) {
        positives++;
        rankSum += rank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
