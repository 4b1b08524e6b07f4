/** Mean cost in USD of one request × 1,000: the unit every report and target uses. */
export function costPer1k(totalUsd: number, requests: number): number {
  return requests === 0 ? 0 : (totalUsd / requests) * 1000;
}
