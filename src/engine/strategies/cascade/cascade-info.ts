/**
 * How a cascade ended, for the `x-rightsize-cascade` header:
 * - `accepted`: a tier's answer passed the gate;
 * - `last-tier`: every cheaper tier failed the gate (or failed), the last tier served;
 * - `budget-exceeded`: the latency or cost budget ran out; the best answer so far served;
 * - `best-so-far`: the last tier failed outright; the best answer of the cheaper tiers served.
 */
export interface CascadeInfo {
  outcome: "accepted" | "last-tier" | "budget-exceeded" | "best-so-far";
  /** 1-based index of the tier that served. */
  tier: number;
  tiers: number;
  /** The gate decided on a stream's first tokens. */
  early?: boolean;
}

export function cascadeHeader(info: CascadeInfo): string {
  return `${info.outcome}; tier=${info.tier}/${info.tiers}${info.early ? "; early" : ""}`;
}
