import { z } from "zod";
import { canarySchema, driftSchema, retrainSchema } from "./learning-loop-config-schema.js";
import { shadowSchema } from "./shadow-config-schema.js";
import { stateSchema } from "./state-config-schema.js";
import { storageSchema } from "./storage-config-schema.js";

/**
 * The configuration file's schema: the single source of truth for config types, defaults,
 * validation messages and the generated JSON Schema (`schema/rightsize.config.schema.json`).
 * Strict: an unknown key is an error (usually a typo).
 */

const secret = z.string().min(1).describe("A literal value or an environment reference such as ${OPENAI_API_KEY}.");

const price = z
  .strictObject({
    input: z.number().nonnegative().default(0).describe("USD per 1M input (prompt) tokens (default 0)."),
    output: z.number().nonnegative().default(0).describe("USD per 1M output (completion) tokens (default 0)."),
  })
  .describe("List price per 1M tokens, used for cost accounting and cost-aware routing.");

const tier = z.string().min(1).describe("A size/tier label such as small, medium, large; cascades order tiers by price.");

const modelCommon = {
  id: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9._:/@-]+$/, "use letters, digits and . _ : / @ - only")
    .describe("The name clients and routers use for this model."),
  price: price.default({ input: 0, output: 0 }),
  contextWindow: z.number().int().positive().default(8192).describe("Context window in tokens."),
  tier: tier.default("large"),
  defaultMaxTokens: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Output-token cap sent (as max_tokens) when the client sets neither max_tokens nor max_completion_tokens."),
  /** Per-model overrides of the server timeouts. */
  timeouts: z
    .strictObject({
      attemptMs: z.number().int().positive().optional(),
      firstTokenMs: z.number().int().positive().optional(),
      idleStreamMs: z.number().int().positive().optional(),
    })
    .optional(),
};

const httpModelCommon = {
  ...modelCommon,
  model: z.string().min(1).describe("The model name sent upstream."),
  baseUrl: z.url().describe("The upstream API base URL, e.g. https://api.openai.com/v1."),
  apiKey: z.string().optional().describe("Upstream API key, usually an environment reference such as ${OPENAI_API_KEY}; empty means none."),
  headers: z.record(z.string(), z.string()).optional().describe("Extra headers sent upstream."),
  maxConnections: z.number().int().positive().default(256).describe("Keep-alive pool size."),
};

export const openAiCompatibleModelSchema = z.strictObject({
  ...httpModelCommon,
  provider: z.literal("openai-compatible"),
  assistantPrefill: z
    .boolean()
    .default(false)
    .describe("The upstream continues an assistant message sent with prefix: true (DeepSeek, Mistral, vLLM)."),
});

export const anthropicModelSchema = z.strictObject({
  ...httpModelCommon,
  provider: z.literal("anthropic"),
  baseUrl: z.url().default("https://api.anthropic.com/v1"),
  anthropicVersion: z.string().default("2023-06-01"),
  defaultMaxTokens: z
    .number()
    .int()
    .positive()
    .default(4096)
    .describe("Output-token cap when the client sets none (the Messages API requires one)."),
});

export const loraAdapterSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe("A LoRA adapter GGUF file (llama.cpp format) made for this base model; relative paths resolve like `model`."),
  scale: z.number().default(1).describe("How strongly the adapter applies (1 = as trained, 0 = not at all)."),
});

export const llamaCppModelSchema = z.strictObject({
  ...modelCommon,
  provider: z.literal("llama-cpp"),
  tier: tier.default("small"),
  defaultMaxTokens: z
    .number()
    .int()
    .positive()
    .default(1024)
    .describe("Output-token cap when the client sets none (a local model on a CPU would otherwise write until its context is full)."),
  model: z.string().min(1).describe("A GGUF file path, or a Hugging Face reference hf:owner/repo/file.gguf."),
  kind: z.enum(["chat", "embedding"]).default("chat"),
  contextSize: z.number().int().positive().default(4096),
  threads: z.number().int().positive().optional().describe("Threads per sequence (default: right for this machine)."),
  concurrency: z.number().int().positive().default(1).describe("Sequences generated at once."),
  queueSize: z.number().int().nonnegative().default(32).describe("Requests waiting beyond concurrency; more get 429."),
  queueTimeoutMs: z.number().int().positive().default(30_000).describe("A request waiting longer gets 503."),
  idleUnloadMs: z.number().int().nonnegative().default(300_000).describe("Unload after this idle time (0 = never)."),
  cacheDir: z.string().optional().describe("Where hf: references are downloaded."),
  lora: z
    .array(loraAdapterSchema)
    .default([])
    .describe("LoRA adapters (GGUF) applied to this model's context, in order; chat models only."),
});

export const modelSchema = z.discriminatedUnion("provider", [openAiCompatibleModelSchema, anthropicModelSchema, llamaCppModelSchema]);

export const routerSchema = z.strictObject({
  id: z.string().min(1).describe("The name clients send in `model`, e.g. rightsize/auto."),
  kind: z.string().min(1).describe("rules, fixed, cascade, or a learned kind (knn, linear, mlp, …)."),
  settings: z.record(z.string(), z.unknown()).default({}).describe("Kind-specific settings."),
  targets: z.array(z.string().min(1)).default([]).describe("Model ids this router may choose."),
  fallbacks: z.array(z.string().min(1)).default([]).describe("Ordered model ids tried when the chosen target fails."),
});

/**
 * The settings schema of each router kind, by kind name. The config layer knows no router kind:
 * the composition root (the gateway) hands them in, so `routers[].settings` is checked (with
 * paths and lines) against its kind's schema; a kind not listed keeps loose settings.
 */
export type RouterSettingsSchemas = Readonly<Record<string, z.ZodType>>;

/** A router entry whose `settings` are checked against its kind's schema (they stay as written: the factory parses them). */
export function routerEntrySchema(settingsByKind: RouterSettingsSchemas) {
  return routerSchema.superRefine((entry, ctx) => {
    const settings = Object.hasOwn(settingsByKind, entry.kind) ? settingsByKind[entry.kind] : undefined;
    if (!settings) return;
    const result = settings.safeParse(entry.settings);
    if (result.success) return;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: ["settings", ...issue.path] } as z.core.$ZodRawIssue);
  });
}

/** What a client key may use and spend (config-file keys and `rightsize keys` alike); left out: no limit. */
export const keyLimitsSchema = {
  routers: z.array(z.string().min(1)).optional().describe("Router ids the key may ask for (default: every router)."),
  models: z.array(z.string().min(1)).optional().describe("Model ids the key may ask for directly (default: every model)."),
  rpm: z.number().int().positive().optional().describe("Requests per minute (sliding window, shared by every gateway)."),
  tpm: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Tokens per minute, prompt + completion (reserved as prompt + max output, settled with the real count)."),
  budget: z
    .strictObject({
      usd: z.number().nonnegative(),
      period: z.enum(["day", "month"]).default("month").describe("UTC calendar day or month."),
    })
    .optional()
    .describe("Spend limit in USD per period (reserved with the estimated cost, settled with the real one)."),
};

export const virtualKeysSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe("Accept the keys of `rightsize keys` (kept in the storage's database); clients must then send a key once one exists."),
  cacheMs: z
    .number()
    .int()
    .positive()
    .default(5_000)
    .describe("How long a gateway trusts a key it looked up: a revocation or rotation reaches every gateway within this."),
  failClosed: z
    .array(z.enum(["requests", "tokens", "budget"]))
    .default([])
    .describe("Limits that refuse requests (503) while the shared state is unreachable, instead of counting them in this gateway alone."),
});

export const serverSchema = z.strictObject({
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8080),
  apiKeys: z
    .array(z.union([secret, z.strictObject({ id: z.string().min(1), key: secret, ...keyLimitsSchema })]))
    .default([])
    .describe("Client bearer keys; none configured (and no `rightsize keys`) means no auth."),
  virtualKeys: virtualKeysSchema.prefault({}),
  bodyLimitBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  timeouts: z
    .strictObject({
      requestMs: z.number().int().positive().default(300_000).describe("Total deadline per request."),
      attemptMs: z.number().int().positive().default(120_000).describe("Deadline per upstream attempt."),
      firstTokenMs: z.number().int().positive().default(30_000).describe("Stream: wait for the first token."),
      idleStreamMs: z.number().int().positive().default(30_000).describe("Stream: longest silence mid-answer."),
      clientRequestMs: z
        .number()
        .int()
        .positive()
        .default(60_000)
        .describe("Longest a client may take to send its whole request (headers and body); slower clients get 408."),
      headersMs: z
        .number()
        .int()
        .positive()
        .default(10_000)
        .describe("Longest a client may take to send the request line and headers (slow-loris protection); then 408."),
      bodyIdleMs: z
        .number()
        .int()
        .positive()
        .default(10_000)
        .describe("Longest silence while a request body is read (e.g. a body shorter than its Content-Length); then 408."),
      shutdownGraceMs: z
        .number()
        .int()
        .nonnegative()
        .default(20_000)
        .describe("On SIGTERM/SIGINT, how long in-flight requests may finish; the rest end with an error (streams: an error frame)."),
    })
    .prefault({}),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  admin: z
    .strictObject({
      keys: z
        .array(secret)
        .default([])
        .describe("Bearer keys for the admin endpoints (/admin/…: router reloads); none configured disables them."),
      watchArtifacts: z
        .boolean()
        .default(false)
        .describe("Reload a learned router when its artifact file changes (a promoted or rolled-back artifact)."),
    })
    .prefault({}),
});

export const retrySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).default(2).describe("Attempts per target (1 = no retry)."),
  baseDelayMs: z.number().int().nonnegative().default(250),
  maxDelayMs: z.number().int().nonnegative().default(8_000),
  maxRetryAfterMs: z
    .number()
    .int()
    .nonnegative()
    .default(10_000)
    .describe("A retry-after longer than this moves on to the next target instead of waiting."),
});

export const breakerSchema = z.strictObject({
  failureThreshold: z.number().int().positive().default(5).describe("Consecutive failures that open the circuit."),
  cooldownMs: z.number().int().positive().default(30_000).describe("How long an open circuit rejects before a probe."),
});

const configShape = {
  $schema: z.string().optional(),
  server: serverSchema.prefault({}),
  models: z.array(modelSchema).min(1, "configure at least one model"),
  routers: z.array(routerSchema).default([]),
  retry: retrySchema.prefault({}),
  breaker: breakerSchema.prefault({}),
  storage: storageSchema.prefault({}),
  state: stateSchema.prefault({}),
  drift: driftSchema.prefault({}),
  retrain: retrainSchema.optional(),
  canaries: z
    .array(canarySchema)
    .default([])
    .describe(
      "Candidate models tried on a share of an incumbent's traffic, compared by feedback and judge, promoted or rolled back by rule.",
    ),
  shadow: shadowSchema
    .optional()
    .describe(
      "Shadow evaluation: other models answer a share of requests in the background and a judge compares (docs/shadow-evaluation.md).",
    ),
};

/** The config schema with loose router settings (the gateway's schema checks them: `gatewayConfigSchema`). */
export const configSchema = z.strictObject(configShape);

/** The config schema that checks each router's settings against its kind's schema. */
export function createConfigSchema(settingsByKind: RouterSettingsSchemas): typeof configSchema {
  const routers = z.array(routerEntrySchema(settingsByKind)).default([]);
  return z.strictObject({ ...configShape, routers });
}

export type RightsizeConfig = z.output<typeof configSchema>;
export type RightsizeConfigInput = z.input<typeof configSchema>;
export type ModelConfig = z.output<typeof modelSchema>;
export type OpenAiCompatibleModelConfig = z.output<typeof openAiCompatibleModelSchema>;
export type AnthropicModelConfig = z.output<typeof anthropicModelSchema>;
export type LlamaCppModelConfig = z.output<typeof llamaCppModelSchema>;
export type RouterConfig = z.output<typeof routerSchema>;
export type ServerConfig = z.output<typeof serverSchema>;
export type VirtualKeysConfig = z.output<typeof virtualKeysSchema>;
export type RetryConfig = z.output<typeof retrySchema>;
export type BreakerConfig = z.output<typeof breakerSchema>;
