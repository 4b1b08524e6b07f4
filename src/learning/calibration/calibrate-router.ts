import type { SweptRouter } from "../eval/metrics/swept-router.js";
import { summariseOutcomes, type CurvePoint, type RowOutcomes } from "../eval/metrics/curve-point.js";
import type { OperatingPoint } from "../../routing/learned/quality-predictor.js";
import { bootstrapIntervals, type OperatingFigures } from "./bootstrap-intervals.js";
import type { CalibrationTarget } from "./calibration-target.js";
import { chooseOperatingPoint } from "./choose-operating-point.js";

export interface CalibrationResult {
  /** What goes into the artifact (`calibration`). */
  operatingPoint: OperatingPoint;
  chosen: CurvePoint;
  figures: OperatingFigures;
  met: boolean;
  note?: string;
  /** True when the policy is the best single model (`fallback`). */
  fellBack?: boolean;
}

/** The best single model as an operating point of its own: what calibration falls back to when routing does not pay. */
export interface SingleModelFallback {
  model: string;
  outcomes: RowOutcomes;
}

export interface CalibrateOptions {
  seed: number;
  /** N models: never choose a point the best single model beats at the same or lower cost. */
  fallback?: SingleModelFallback;
  resamples?: number;
  /** ISO time to record (tests pin it). */
  now?: string;
}

/**
 * Chooses the operating point of a replayed router that meets `target` on these (calibration)
 * rows and reports its expected figures with bootstrap 95% intervals. `largeScores` are the
 * reference large model's scores on the same rows (the quality floor is relative to them).
 */
export function calibrateRouter(
  router: SweptRouter,
  largeScores: Float64Array,
  target: CalibrationTarget,
  options: CalibrateOptions,
): CalibrationResult {
  if (!router.policyAt) throw new Error(`router ${router.name} has no deployable policy to calibrate`);
  const largeQuality = largeScores.reduce((s, v) => s + v, 0) / Math.max(1, largeScores.length);
  const policyAt = router.policyAt.bind(router);
  // A threshold policy only takes thresholds in [0,1] (scores are clamped to it).
  const deployable = router.curve.filter((p) => {
    const policy = policyAt(p.param);
    return policy.kind !== "threshold" || (policy.threshold >= 0 && policy.threshold <= 1);
  });
  const fallback = options.fallback;
  const single = fallback ? summariseOutcomes(fallback.outcomes, Number.NaN) : undefined;
  let choice = chooseOperatingPoint(single ? [...deployable, single] : deployable, target, largeQuality);
  // Routing pays only where it is not dominated: a point the best single model matches in quality at no more cost loses to it.
  const dominated =
    single !== undefined &&
    choice.point !== single &&
    single.quality >= choice.point.quality - 1e-12 &&
    single.costPer1k <= choice.point.costPer1k + 1e-12;
  if (dominated && single) choice = { ...choice, point: single };
  const fellBack = fallback !== undefined && choice.point === single;
  const outcomes = fellBack ? fallback.outcomes : router.outcomesAt(choice.point.param);
  const figures = bootstrapIntervals(outcomes, largeScores, { seed: options.seed, resamples: options.resamples ?? 1000 });
  const operatingPoint: OperatingPoint = {
    target,
    policy: fellBack ? { kind: "single", model: fallback.model } : policyAt(choice.point.param),
    expected: { ...figures },
    calibratedAt: options.now ?? new Date().toISOString(),
    rows: largeScores.length,
  };
  const result: CalibrationResult = { operatingPoint, chosen: choice.point, figures, met: choice.met };
  if (fellBack) {
    result.fellBack = true;
    result.note = `routing does not pay on these rows: no operating point of ${router.name} beats the best single model ${fallback.model} at the same or lower cost, so it falls back to that model${choice.note ? ` (${choice.note})` : ""}`;
  } else if (choice.note) result.note = choice.note;
  return result;
}
