import { z } from "zod";

/** `drift:`, `retrain:` and `canaries:` — the learning loop's settings inside the gateway. */

export const driftSchema = z
  .strictObject({
    window: z.number().int().min(10).default(1000).describe("Requests (or judgments, scores) in each drift signal's sliding window."),
    minSamples: z
      .number()
      .int()
      .min(1)
      .default(100)
      .describe("Fewest observations before a drift signal can leave its band (and the size of its baseline window)."),
    autoRecalibrate: z
      .boolean()
      .default(false)
      .describe(
        "When a learned pair router's large-model share leaves its band, recompute its threshold from the live window's scores for the artifact's large-share target and swap it in.",
      ),
  })
  .describe("Drift watch per router: live large-model share against the calibration, gate failures, scores, shadow wins.");

/** A duration such as 30s, 15m, 6h or 1d. */
const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, "expected a duration such as 30s, 15m, 6h or 1d");

export const retrainRouterSchema = z.strictObject({
  every: duration.describe("How often the gateway considers retraining this router (30s, 15m, 6h, 1d)."),
  minNewLabels: z
    .number()
    .int()
    .min(1)
    .default(100)
    .describe("Retrain only when at least this many feedback values and parseable shadow judgments arrived since the last run."),
  target: z
    .string()
    .optional()
    .describe("Calibration target (large-share=P, cost-per-1k=USD, quality-floor=F); default: the serving artifact's."),
  margin: z.number().min(0).max(1).default(0.01).describe("How much worse still counts as not worse (the promotion gate)."),
  kind: z.string().default("auto").describe("Router kind to train, or auto (inner cross-validation; needs a router of kind learned)."),
  timeLimitS: z.number().int().positive().default(120).describe("Time bound of the automatic selection."),
});

export const retrainSchema = z
  .strictObject({
    routers: z.record(z.string().min(1), retrainRouterSchema).describe("Per learned router id: its retrain schedule."),
  })
  .describe("Scheduled `rightsize retrain` inside the gateway (a worker thread); a promoted artifact is swapped in.");

export const canarySchema = z.strictObject({
  incumbent: z.string().min(1).describe("The configured model a candidate is tried against (e.g. the small tier's model)."),
  candidate: z
    .string()
    .min(1)
    .describe("The configured candidate model (another GGUF, or the local model with a LoRA adapter: llama-cpp `lora`)."),
  share: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe("Share of the requests routed to the incumbent that the candidate answers instead (0: shadow traffic only)."),
  minSamples: z.number().int().min(1).default(50).describe("Scored answers each arm needs before the rule decides."),
  margin: z.number().min(0).max(1).default(0.02).describe("How much worse (mean score) the candidate may be and still be promoted."),
  checkEvery: duration.default("1m").describe("How often the promotion rule is evaluated."),
});
