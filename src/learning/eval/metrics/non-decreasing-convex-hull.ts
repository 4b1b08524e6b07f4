/** A point of a cost–quality plane. */
export interface CostQuality {
  cost: number;
  quality: number;
}

/**
 * RouterBench's non-decreasing convex hull (NDCH) of a router's cost–quality points: the upper
 * convex hull (any point between two operating points is reachable by mixing them at random),
 * cut where it stops rising (spending more never has to lower quality). Sorted by cost.
 */
export function nonDecreasingConvexHull(points: readonly CostQuality[]): CostQuality[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.quality - a.quality);
  const hull: CostQuality[] = [];
  for (const p of sorted) {
    const last = hull[hull.length - 1];
    if (last && last.cost === p.cost) continue; // same cost: the first (highest quality) wins
    while (hull.length >= 2 && !turnsRight(hull[hull.length - 2]!, hull[hull.length - 1]!, p)) hull.pop();
    hull.push(p);
  }
  const rising: CostQuality[] = [];
  for (const p of hull) {
    const last = rising[rising.length - 1];
    if (last && p.quality < last.quality) break;
    rising.push(p);
  }
  return rising;
}

/** True when a → b → c turns clockwise (b lies strictly above the chord a–c). */
function turnsRight(a: CostQuality, b: CostQuality, c: CostQuality): boolean {
  return (b.cost - a.cost) * (c.quality - a.quality) - (b.quality - a.quality) * (c.cost - a.cost) < 0;
}
