import type { CurvePoint } from "../metrics/curve-point.js";
import type { CalibrationTarget } from "../../calibration/calibration-target.js";
import type { OperatingFigures } from "../../calibration/bootstrap-intervals.js";
import type { RoutingPolicy } from "../../../routing/learned/quality-predictor.js";

/** The calibrated operating point of one router inside an evaluation. */
export interface EvalOperatingPoint {
  target: CalibrationTarget;
  policy: RoutingPolicy;
  /** Whether the held-out half meets the target (the figures printed beside it). */
  met: boolean;
  /** Whether the calibration half, where the point was chosen, meets it. */
  metOnCalibration: boolean;
  /** The policy is the best single model: routing did not pay on the calibration half. */
  fellBack?: boolean;
  note?: string;
  /** Chosen on the calibration half of the rows, with bootstrap 95% intervals. */
  calibration: OperatingFigures;
  /** The same policy applied to the other half (held out from calibration). */
  heldOut: OperatingFigures;
  /** The policy applied to all rows (the point marked on the chart). */
  all: CurvePoint;
}

export interface RouterEvaluation {
  name: string;
  /** Pair routers: RouteLLM's APGR on its quantile sweep (`curvePoints` thresholds) and on the exact curve. */
  apgr: number | null;
  apgrExact: number | null;
  /** Exact APGR per held-out fold: mean and standard deviation over the folds (pairs). */
  apgrFolds: { mean: number; sd: number } | null;
  /** RouteLLM's CPT(50%) and CPT(80%): share of large calls (0..1) to recover that much of the gap. */
  cpt50: number | null;
  cpt80: number | null;
  /** RouterBench AIQ over the report's cost range. */
  aiq: number | null;
  /** Cost to reach the large model's quality, as a share of the large model's cost (null: never). */
  costShareAtLargeQuality: number | null;
  /** Best quality among points costing at most half the large model's cost. */
  qualityAtHalfLargeCost: number | null;
  /** Best quality anywhere on the curve. */
  bestQuality: number;
  operatingPoint?: EvalOperatingPoint;
  /** The exact curve, thinned for the report. */
  curve: CurvePoint[];
  trainSeconds: number;
  predictSeconds: number;
}

export interface CategoryEvaluation {
  category: string;
  rows: number;
  small: number;
  large: number;
  oracle: number;
  /** Per router: APGR (exact curve) and the figures of its calibrated policy on this category. */
  routers: Record<string, { apgr: number | null; aiq: number | null; quality: number; costPer1k: number; largeShare: number }>;
}

export interface EvalReport {
  format: "rightsize-eval";
  version: 1;
  createdAt: string;
  data: { file: string; rows: number; loadSummary: string };
  models: string[];
  /** "pair" (threshold sweep) or "pool" (N models, λ sweep). */
  mode: "pair" | "pool";
  /** Pair: the cheaper model. Pool: the cheapest model. */
  small: string;
  /** Pair: the stronger (more expensive) model. Pool: the best single model (highest mean score), the reference of quality and cost readings. */
  large: string;
  /** The model with the highest mean cost on these rows. */
  mostExpensive?: string;
  folds: number;
  seed: number;
  curvePoints: "all" | number;
  costRange: { min: number; max: number };
  baselines: {
    alwaysSmall: CurvePoint;
    alwaysLarge: CurvePoint;
    random: CurvePoint[];
    oracle: CurvePoint;
    perModel: Record<string, CurvePoint>;
  };
  routers: RouterEvaluation[];
  categories: CategoryEvaluation[];
}
