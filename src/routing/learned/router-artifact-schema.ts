import { z } from "zod";
import type { RouterArtifact } from "./quality-predictor.js";

const policySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("threshold"), small: z.string(), large: z.string(), threshold: z.number().min(0).max(1) }),
  z.object({ kind: z.literal("cost-penalty"), lambda: z.number().min(0) }),
  z.object({ kind: z.literal("single"), model: z.string().min(1) }),
]);

const intervalSchema = z.object({ value: z.number(), low: z.number(), high: z.number() });

/** Validates a router artifact file (`rightsize train` output, `RouterArtifact`). */
export const routerArtifactSchema = z.object({
  format: z.literal("rightsize-router", { error: 'format must be "rightsize-router" (is this a rightsize router artifact?)' }),
  version: z.literal(1, { error: "unsupported artifact version; this rightsize reads version 1" }),
  kind: z.string().min(1),
  models: z.array(z.string().min(1)).min(1),
  createdAt: z.string(),
  training: z.object({
    dataFile: z.string(),
    dataSha256: z.string(),
    rows: z.number().int().min(0),
    seed: z.number().int(),
    validation: z.record(z.string(), z.number()),
    /** `--router auto`: the candidates' cross-validated figures and the choice. */
    selection: z.record(z.string(), z.unknown()).optional(),
  }),
  features: z.record(z.string(), z.unknown()),
  params: z.unknown(),
  prices: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) })).optional(),
  calibration: z
    .object({
      target: z.object({ kind: z.enum(["large-share", "cost-per-1k", "quality-floor"]), value: z.number() }),
      policy: policySchema,
      expected: z.record(z.string(), intervalSchema),
      calibratedAt: z.string(),
      rows: z.number().int().min(0),
    })
    .optional(),
});

/** Parses an artifact; the error names the field (`training.dataSha256: expected string`). */
export function parseRouterArtifact(raw: unknown): RouterArtifact {
  const result = routerArtifactSchema.safeParse(raw);
  if (result.success) return result.data as RouterArtifact;
  const issue = result.error.issues[0];
  const field = (issue?.path ?? []).map(String).join(".") || "(artifact)";
  throw new Error(`${field}: ${issue?.message ?? "invalid artifact"}`);
}
