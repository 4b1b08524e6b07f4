import { z } from "zod";

/**
 * The settings of a `cascade` entry: ordered tiers, the quality gate each tier's answer must
 * pass, budgets and the streaming hold window. `cascade-router.ts` validates them; the engine
 * executes the cascade as a strategy (`run-cascade.ts`).
 */
const confidenceGate = z.strictObject({
  kind: z.literal("confidence"),
  minMeanLogprob: z.number().max(0).optional().describe("Pass only when the mean token logprob is at least this."),
  minTokenLogprob: z.number().max(0).optional().describe("Pass only when no token's logprob is below this."),
  maxMeanEntropy: z
    .number()
    .nonnegative()
    .optional()
    .describe("Pass only when the mean entropy (nats, over top_logprobs) is at most this."),
  earlyTokens: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Decide on the first N tokens of a stream (lets the stream be released early)."),
});

const formatGate = z.strictObject({
  kind: z.literal("format"),
  json: z.boolean().optional().describe("The answer must parse as JSON (default: when the request asks for JSON)."),
  schema: z.boolean().default(true).describe("Check the request's response_format json_schema when it has one."),
  regex: z.string().optional().describe("The answer must match this regular expression."),
});

const consistencyGate = z.strictObject({
  kind: z.literal("consistency"),
  samples: z.number().int().min(1).max(10).default(2).describe("Extra samples drawn from the same tier."),
  temperature: z.number().min(0).max(2).default(0.8),
  minAgreement: z.number().min(0).max(1).default(0.5).describe("Share of samples that must agree with the answer."),
});

const judgeGate = z.strictObject({
  kind: z.literal("judge"),
  model: z.string().min(1).describe("The model that grades (its cost is counted as a `judge` attempt)."),
  rubric: z.string().min(1).default("Is the answer correct, complete and responsive to the request?"),
  minScore: z.number().min(0).max(10).default(7).describe("Pass when the judge's grade (0-10) is at least this."),
});

const lengthGate = z.strictObject({
  kind: z.literal("length"),
  minChars: z.number().int().nonnegative().default(1),
  maxChars: z.number().int().positive().optional(),
  refusal: z.boolean().default(true).describe('Fail answers that refuse ("I can\'t help with that").'),
  truncated: z.boolean().default(true).describe("Fail answers cut by max_tokens (finish_reason length)."),
});

export type GateSpec =
  | z.output<typeof confidenceGate>
  | z.output<typeof formatGate>
  | z.output<typeof consistencyGate>
  | z.output<typeof judgeGate>
  | z.output<typeof lengthGate>
  | { kind: "all" | "any"; gates: GateSpec[] }
  | { kind: "weighted"; gates: { gate: GateSpec; weight: number }[]; threshold: number };

export const gateSpecSchema: z.ZodType<GateSpec> = z.lazy(() =>
  z.discriminatedUnion("kind", [
    confidenceGate,
    formatGate,
    consistencyGate,
    judgeGate,
    lengthGate,
    z.strictObject({ kind: z.enum(["all", "any"]), gates: z.array(gateSpecSchema).min(1) }),
    z.strictObject({
      kind: z.literal("weighted"),
      gates: z.array(z.strictObject({ gate: gateSpecSchema, weight: z.number().positive() })).min(1),
      threshold: z.number().min(0).max(1).default(0.5),
    }),
  ]),
) as z.ZodType<GateSpec>;

export const cascadeSettingsSchema = z.strictObject({
  tiers: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe("Model ids, cheapest first (default: the router's targets ordered by price)."),
  gate: gateSpecSchema
    .default({ kind: "length", minChars: 1, refusal: true, truncated: true })
    .describe("The check a tier's answer must pass to be served (the last tier is served as is)."),
  budget: z
    .strictObject({
      maxAddedLatencyMs: z.number().int().positive().optional().describe("Stop escalating once the cascade has taken this long."),
      maxCostUsd: z.number().positive().optional().describe("Stop escalating once the request has cost this much."),
    })
    .prefault({}),
  stream: z
    .strictObject({
      holdTokens: z
        .number()
        .int()
        .positive()
        .optional()
        .describe("Gates that can decide early do so after this many tokens (default: the whole answer is held)."),
      holdMs: z
        .number()
        .int()
        .positive()
        .optional()
        .describe("Longest a tier's stream is held; a tier still undecided then is abandoned and the next one asked."),
    })
    .prefault({}),
});

export type CascadeSettings = z.output<typeof cascadeSettingsSchema>;
