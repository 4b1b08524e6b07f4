import type { ChatRequest } from "../../core/chat-request.js";

/**
 * The contract between training, calibration, evaluation and the gateway's learned routers.
 * A predictor estimates, for one request, the quality (expected score in [0,1]) of each of
 * its models; a routing policy (threshold for a pair, quality − λ·cost for N models) turns
 * that into a decision.
 */
export interface QualityPrediction {
  /** Predicted quality per model, aligned with `QualityPredictor.models`. */
  qualities: number[];
  /** A sentence: the nearest examples, the top features, … */
  explanation: string;
  details?: Record<string, unknown>;
}

export interface QualityPredictor {
  readonly kind: string;
  /** Model names as in the outcome data. */
  readonly models: readonly string[];
  predict(request: ChatRequest): QualityPrediction | Promise<QualityPrediction>;
  /** Serialisable form (kind-specific parameters) for the router artifact. */
  toParams(): unknown;
}

/** How a calibrated router turns predictions into a decision. */
export type RoutingPolicy =
  | {
      kind: "threshold";
      /** The pair: small (cheap) and large (strong) model names. */
      small: string;
      large: string;
      /** Route to the large model when score ≥ threshold. */
      threshold: number;
    }
  | {
      kind: "cost-penalty";
      /** Pick argmax over models of quality − lambda × cost (USD per 1,000 requests). */
      lambda: number;
    }
  | {
      kind: "single";
      /** Every request to this model: what calibration falls back to when routing does not pay. */
      model: string;
    };

export interface OperatingPoint {
  /** What calibration aimed for, e.g. { kind: "large-share", value: 0.3 }. */
  target: { kind: "large-share" | "cost-per-1k" | "quality-floor"; value: number };
  policy: RoutingPolicy;
  /** Expected figures on the calibration split with bootstrap 95% intervals. */
  expected: Record<string, { value: number; low: number; high: number }>;
  calibratedAt: string;
  rows: number;
}

/** The versioned file `rightsize train` writes and the gateway loads. */
export interface RouterArtifact {
  format: "rightsize-router";
  version: 1;
  kind: string;
  models: string[];
  createdAt: string;
  training: {
    dataFile: string;
    dataSha256: string;
    rows: number;
    seed: number;
    validation: Record<string, number>;
    /** `--router auto`: the candidates' cross-validated figures and the choice (`RouterSelection`). */
    selection?: object;
  };
  features: Record<string, unknown>;
  params: unknown;
  /** Prices used for cost-aware policies: USD per 1M tokens. */
  prices?: Record<string, { input: number; output: number }>;
  calibration?: OperatingPoint;
}
