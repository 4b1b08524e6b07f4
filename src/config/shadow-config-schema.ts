import { z } from "zod";

/**
 * The `shadow:` section (issue 12 §2): for a share of each listed router's requests, after the
 * served answer is complete, other models the router could have chosen answer the same request
 * in the background and a judge compares the answers. Absent = no shadow evaluation.
 */

export const DEFAULT_PAIRWISE_RUBRIC =
  "Which answer serves the user better: correct, complete, following the instructions and the requested format? Length is not quality.";

export const DEFAULT_ABSOLUTE_RUBRIC =
  "Grade the candidate answer against the reference answer: correctness, completeness, instruction following. 10 = as good as or better than the reference, 1 = useless.";

export const shadowRouterSchema = z.strictObject({
  sample: z
    .number()
    .min(0)
    .max(1)
    .describe("Share of this router's served requests that are shadow-evaluated, in [0, 1] (0.1 = one in ten)."),
  budgetShare: z
    .number()
    .positive()
    .max(1)
    .optional()
    .describe("This router's share of shadow.budgetUsdPerDay, in (0, 1]; routers without one split what the others leave."),
  targets: z
    .array(z.string().min(1))
    .optional()
    .describe("Only these models answer in the shadow (each one the router may choose); default: every model the router may choose."),
});

export const shadowJudgeSchema = z.strictObject({
  model: z.string().min(1).describe("The configured model that judges the answers."),
  mode: z
    .enum(["pairwise", "absolute"])
    .default("pairwise")
    .describe(
      "pairwise: the judge compares served and shadow answers, asked twice with the order swapped (cancels position bias); absolute: it grades the shadow answer 1-10 with the served one as reference.",
    ),
  rubric: z.string().min(1).optional().describe("What the judge is told to look for (default: a general helpfulness rubric per mode)."),
  maxTokens: z.number().int().positive().default(32).describe("Output-token cap of a judge call (the verdict is one line)."),
});

export const shadowSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("false keeps the section but evaluates nothing."),
    routers: z
      .record(z.string().min(1), shadowRouterSchema)
      .describe("Per router id: the share of its requests to shadow-evaluate (routers not listed are not)."),
    directions: z
      .array(z.enum(["down", "up"]))
      .min(1)
      .default(["down", "up"])
      .describe(
        "down: a cheaper model answers when a dearer one served (would the small model have been enough?); up: a dearer one when a cheaper one served.",
      ),
    judge: shadowJudgeSchema,
    budgetUsdPerDay: z
      .number()
      .nonnegative()
      .describe("Most USD spent on shadow and judge calls per UTC day (each router capped at its budgetShare of it)."),
    queueSize: z.number().int().positive().default(100).describe("Shadow jobs waiting to run; one more is shed."),
    concurrency: z.number().int().positive().default(2).describe("Shadow jobs running at once."),
    busyInFlight: z
      .number()
      .int()
      .positive()
      .default(64)
      .describe("With at least this many served requests in flight the gateway is busy: new shadow jobs are shed and queued ones wait."),
    busyQuietMs: z
      .number()
      .int()
      .nonnegative()
      .default(1_000)
      .describe("After the gateway was last seen busy, queued shadow jobs wait this long before they start (no shadow work mid-burst)."),
    deadlineMs: z.number().int().positive().default(120_000).describe("Deadline of each shadow or judge call (retries included)."),
    optOutCallers: z
      .array(z.string().min(1))
      .default([])
      .describe("Client key ids (server.apiKeys[].id) whose requests are never shadow-evaluated."),
  })
  .superRefine((shadow, ctx) => {
    let shares = 0;
    for (const entry of Object.values(shadow.routers)) shares += entry.budgetShare ?? 0;
    if (shares > 1 + 1e-9) {
      ctx.addIssue({
        code: "custom",
        path: ["routers"],
        message: `the routers' budgetShare values add up to ${Number(shares.toFixed(4))}, more than 1`,
      });
    }
  });

export type ShadowConfig = z.output<typeof shadowSchema>;
export type ShadowRouterConfig = z.output<typeof shadowRouterSchema>;
export type ShadowJudgeConfig = z.output<typeof shadowJudgeSchema>;
