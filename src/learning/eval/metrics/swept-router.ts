import type { RoutingPolicy } from "../../../routing/learned/quality-predictor.js";
import type { CurvePoint, RowOutcomes } from "./curve-point.js";

/**
 * A router replayed over a fixed set of rows, swept along its one parameter (a threshold for a
 * pair, λ for N models, a gate setting for a future cascade). Metrics read `curve`; calibration
 * picks a point on it and re-reads that point's per-row outcomes for bootstrap intervals.
 */
export interface SweptRouter {
  name: string;
  /** Every distinct operating point, in any order. */
  curve: CurvePoint[];
  /** Per-row outcomes when the router runs at `param`. */
  outcomesAt(param: number): RowOutcomes;
  /** The deployable policy at `param` (for the artifact), when the router has one. */
  policyAt?(param: number): RoutingPolicy;
  /** The same router restricted to a subset of the rows (per-category breakdowns). */
  restrict(rows: readonly number[]): SweptRouter;
}
