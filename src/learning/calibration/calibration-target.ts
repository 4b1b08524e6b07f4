import type { OperatingPoint } from "../../routing/learned/quality-predictor.js";

export type CalibrationTarget = OperatingPoint["target"];

const kinds: readonly CalibrationTarget["kind"][] = ["large-share", "cost-per-1k", "quality-floor"];

/**
 * Parses `large-share=0.3` (share of requests to the large model, 0..1), `cost-per-1k=0.5`
 * (USD per 1,000 requests) or `quality-floor=0.95` (fraction of the large model's quality).
 * Throws an Error whose message says what is wrong.
 */
export function parseCalibrationTarget(text: string): CalibrationTarget {
  const match = /^\s*([a-z0-9-]+)\s*=\s*(\S+)\s*$/.exec(text);
  const kind = match?.[1] as CalibrationTarget["kind"] | undefined;
  if (!match || !kind || !kinds.includes(kind)) {
    throw new Error(`target "${text}" must be one of ${kinds.map((k) => `${k}=NUMBER`).join(", ")}`);
  }
  const value = Number(match[2]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`target ${kind}: "${match[2]}" is not a non-negative number`);
  if (kind !== "cost-per-1k" && value > 1) throw new Error(`target ${kind}: ${value} must be between 0 and 1`);
  return { kind, value };
}

/** Whether figures (e.g. of a held-out split) meet the target, read on their point values. */
export function meetsTarget(
  target: CalibrationTarget,
  figures: { quality: { value: number }; costPer1k: { value: number }; largeShare: { value: number }; qualityVsLarge: { value: number } },
): boolean {
  const eps = 1e-12;
  switch (target.kind) {
    case "large-share":
      return figures.largeShare.value <= target.value + eps;
    case "cost-per-1k":
      return figures.costPer1k.value <= target.value + eps;
    case "quality-floor":
      return figures.qualityVsLarge.value >= target.value - eps;
  }
}

export function formatCalibrationTarget(target: CalibrationTarget): string {
  return `${target.kind}=${target.value}`;
}
