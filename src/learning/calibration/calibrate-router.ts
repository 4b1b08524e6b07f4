import type { SweptRouter } from "../eval/metrics/swept-router.js";
import type { CurvePoint } from "../eval/metrics/curve-point.js";
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
}

export interface CalibrateOptions {
  seed: number;
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
  const choice = chooseOperatingPoint(deployable, target, largeQuality);
  const outcomes = router.outcomesAt(choice.point.param);
  const figures = bootstrapIntervals(outcomes, largeScores, { seed: options.seed, resamples: options.resamples ?? 1000 });
  const operatingPoint: OperatingPoint = {
    target,
    policy: policyAt(choice.point.param),
    expected: { ...figures },
    calibratedAt: options.now ?? new Date().toISOString(),
    rows: largeScores.length,
  };
  const result: CalibrationResult = { operatingPoint, chosen: choice.point, figures, met: choice.met };
  if (choice.note) result.note = choice.note;
  return result;
}
