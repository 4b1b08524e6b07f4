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

export function formatCalibrationTarget(target: CalibrationTarget): string {
  return `${target.kind}=${target.value}`;
}
