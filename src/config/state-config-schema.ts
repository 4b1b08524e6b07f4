import { z } from "zod";

/** `state:` — breakers, rate limits, budgets and router versions: this process, or Redis shared by N gateways. */

const positiveInt = () => z.number().int().positive();

export const stateSchema = z
  .strictObject({
    kind: z
      .enum(["in-process", "redis"])
      .default("in-process")
      .describe("Where breakers, rate limits, budgets and the router version live: this process, or Redis (shared by N gateways)."),
    url: z
      .string()
      .regex(/^rediss?:\/\//, "expected a redis:// or rediss:// URL")
      .optional()
      .describe("Redis URL (kind: redis), e.g. redis://127.0.0.1:6379/0."),
    prefix: z.string().min(1).default("rightsize:").describe("Prefix of every Redis key and channel."),
    commandTimeoutMs: positiveInt().default(250).describe("A Redis call slower than this falls back to local state."),
    reconnectMinMs: positiveInt().default(100).describe("First reconnect delay; doubles up to reconnectMaxMs."),
    reconnectMaxMs: positiveInt().default(5_000),
  })
  .superRefine((state, ctx) => {
    if (state.kind === "redis" && state.url === undefined)
      ctx.addIssue({ code: "custom", path: ["url"], message: "kind: redis needs url" });
    if (state.kind === "in-process" && state.url !== undefined) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "url is for kind: redis" });
    }
  });

export type StateConfig = z.output<typeof stateSchema>;
