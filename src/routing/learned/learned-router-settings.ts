import { z } from "zod";

/** The settings of every learned router kind (knn, linear, mlp, …): the artifact and how to map and tune it. */
export const learnedRouterSettingsSchema = z.strictObject({
  artifact: z.string().min(1).describe("Path of the router artifact written by `rightsize train` (relative to the config file)."),
  models: z
    .record(z.string(), z.string().min(1))
    .optional()
    .describe("Artifact model name → configured model id (default: identical names)."),
  threshold: z.number().min(0).max(1).optional().describe("Overrides the calibrated threshold (pair artifacts)."),
  lambda: z
    .number()
    .min(0)
    .optional()
    .describe("Routes by argmax quality − lambda × cost ($ per 1,000 requests), overriding the calibration."),
  embeddingCacheDir: z.string().optional().describe("Folder of the on-disk embedding cache (artifacts trained with an embedder)."),
});
