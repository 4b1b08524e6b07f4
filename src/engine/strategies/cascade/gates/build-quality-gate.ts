import type { GateSpec } from "../cascade-settings.js";
import { allGate, anyGate, weightedGate } from "./combined-gate.js";
import { confidenceGate } from "./confidence-gate.js";
import { consistencyGate } from "./consistency-gate.js";
import { formatGate } from "./format-gate.js";
import { judgeGate } from "./judge-gate.js";
import { lengthRefusalGate } from "./length-refusal-gate.js";
import type { QualityGate } from "./quality-gate.js";

/** Builds the gate a cascade router's settings describe (validated by the router). */
export function buildQualityGate(spec: GateSpec): QualityGate {
  switch (spec.kind) {
    case "confidence":
      return confidenceGate(spec);
    case "format":
      return formatGate(spec);
    case "consistency":
      return consistencyGate(spec);
    case "judge":
      return judgeGate(spec);
    case "length":
      return lengthRefusalGate(spec);
    case "all":
      return allGate(spec.gates.map(buildQualityGate));
    case "any":
      return anyGate(spec.gates.map(buildQualityGate));
    case "weighted":
      return weightedGate(
        spec.gates.map((g) => ({ gate: buildQualityGate(g.gate), weight: g.weight })),
        spec.threshold,
      );
  }
}
