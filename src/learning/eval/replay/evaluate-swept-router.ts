import { bootstrapIntervals } from "../../calibration/bootstrap-intervals.js";
import { calibrateRouter } from "../../calibration/calibrate-router.js";
import type { CalibrationTarget } from "../../calibration/calibration-target.js";
import { averageImprovementInQuality } from "../metrics/average-improvement-in-quality.js";
import { averagePerformanceGapRecovered } from "../metrics/average-performance-gap-recovered.js";
import { bestQualityWithinCost, callPerformanceThreshold, costAtQuality } from "../metrics/call-performance-threshold.js";
import { summariseOutcomes, type CurvePoint, type RowOutcomes } from "../metrics/curve-point.js";
import { meetsTarget } from "../../calibration/calibration-target.js";
import type { SweptRouter } from "../metrics/swept-router.js";
import type { EvalOperatingPoint, RouterEvaluation } from "./eval-report.js";
import { thinCurve } from "./thin-curve.js";

export interface SweepContext {
  mode: "pair" | "pool";
  small: CurvePoint;
  large: CurvePoint;
  /** The reference large model's score per row. */
  largeScores: Float64Array;
  costRange: { min: number; max: number };
  target?: CalibrationTarget;
  /** Calibration and held-out halves of the rows. */
  halves: [number[], number[]];
  seed: number;
  resamples: number;
  /** N models: the best single model's per-row outcomes on any subset of rows, the calibration's fallback. */
  fallback?: { model: string; outcomesOf(rows: readonly number[]): RowOutcomes };
}

/** Metrics and the calibrated operating point of one replayed router. */
export function evaluateSweptRouter(
  router: SweptRouter,
  context: SweepContext,
  extras: { routellmCurve?: CurvePoint[]; folds?: number[][]; trainSeconds?: number; predictSeconds?: number } = {},
): RouterEvaluation {
  const weak = context.small.quality;
  const strong = context.large.quality;
  const pair = context.mode === "pair";
  const routellm = extras.routellmCurve ?? router.curve;
  const reach = costAtQuality(router.curve, strong);
  const evaluation: RouterEvaluation = {
    name: router.name,
    apgr: pair ? averagePerformanceGapRecovered(routellm, weak, strong) : null,
    apgrExact: pair ? averagePerformanceGapRecovered(router.curve, weak, strong) : null,
    apgrFolds: pair && extras.folds ? perFoldApgr(router, extras.folds) : null,
    cpt50: pair ? callPerformanceThreshold(routellm, weak, strong, 0.5) : null,
    cpt80: pair ? callPerformanceThreshold(routellm, weak, strong, 0.8) : null,
    aiq: averageImprovementInQuality(
      router.curve.map((p) => ({ cost: p.costPer1k, quality: p.quality })),
      context.costRange,
    ),
    costShareAtLargeQuality: reach === null || context.large.costPer1k <= 0 ? null : reach / context.large.costPer1k,
    qualityAtHalfLargeCost: bestQualityWithinCost(router.curve, context.large.costPer1k / 2),
    bestQuality: router.curve.reduce((best, p) => Math.max(best, p.quality), -Infinity),
    curve: thinCurve(router.curve, 240),
    trainSeconds: extras.trainSeconds ?? 0,
    predictSeconds: extras.predictSeconds ?? 0,
  };
  if (context.target && router.policyAt) evaluation.operatingPoint = operatingPoint(router, context, context.target);
  return evaluation;
}

/** Calibrates on one half of the rows, then applies the policy to the other half and to all rows. */
function operatingPoint(router: SweptRouter, context: SweepContext, target: CalibrationTarget): EvalOperatingPoint {
  const [calibrationRows, heldOutRows] = context.halves;
  const pick = (rows: number[]): Float64Array => Float64Array.from(rows, (i) => context.largeScores[i]!);
  const fallback = context.fallback;
  const calibrated = calibrateRouter(router.restrict(calibrationRows), pick(calibrationRows), target, {
    seed: context.seed,
    resamples: context.resamples,
    ...(fallback ? { fallback: { model: fallback.model, outcomes: fallback.outcomesOf(calibrationRows) } } : {}),
  });
  const param = calibrated.chosen.param;
  const outcomesOn = (rows: readonly number[]): RowOutcomes =>
    calibrated.fellBack && fallback ? fallback.outcomesOf(rows) : router.restrict(rows).outcomesAt(param);
  const heldOut = bootstrapIntervals(outcomesOn(heldOutRows), pick(heldOutRows), {
    seed: context.seed + 1,
    resamples: context.resamples,
  });
  const allRows = Array.from(context.largeScores, (_, i) => i);
  const point: EvalOperatingPoint = {
    target,
    policy: calibrated.operatingPoint.policy,
    met: meetsTarget(target, heldOut),
    metOnCalibration: calibrated.met,
    calibration: calibrated.figures,
    heldOut,
    all: summariseOutcomes(calibrated.fellBack ? outcomesOn(allRows) : router.outcomesAt(param), param),
  };
  if (calibrated.fellBack) point.fellBack = true;
  if (calibrated.note) point.note = calibrated.note;
  else if (!point.met && calibrated.met) point.note = "met on the calibration half, missed on the held-out half";
  return point;
}

/** Exact APGR on each fold's rows (each fold against its own weak/strong quality), mean ± sd. */
function perFoldApgr(router: SweptRouter, folds: number[][]): { mean: number; sd: number } | null {
  const values: number[] = [];
  for (const rows of folds) {
    const fold = router.restrict(rows);
    const ends = [...fold.curve].sort((a, b) => a.largeShare - b.largeShare);
    const weak = ends[0]?.largeShare === 0 ? ends[0].quality : Number.NaN;
    const last = ends[ends.length - 1];
    const strong = last?.largeShare === 1 ? last.quality : Number.NaN;
    const value = averagePerformanceGapRecovered(fold.curve, weak, strong);
    if (value !== null && Number.isFinite(value)) values.push(value);
  }
  if (values.length === 0) return null;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd };
}
