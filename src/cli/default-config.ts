import type { RightsizeConfigInput } from "../config/config-schema.js";
import { DEFAULT_SMALL_MODEL_REF } from "../providers/llama-cpp/default-small-model.js";

/**
 * The quickstart config used by `rightsize serve` when no config file is found: a small
 * instruct GGUF run in-process (downloaded once on first use; RIGHTSIZE_SMALL_MODEL may name
 * a local .gguf instead) as the small tier, and any OpenAI-compatible endpoint from the
 * environment (OPENAI_BASE_URL / OPENAI_API_KEY / RIGHTSIZE_LARGE_MODEL) as the large tier.
 */
/** The environment variables the quickstart config reads (a config file reads only what it names as ${NAME}). */
export const QUICKSTART_ENV = [
  "RIGHTSIZE_SMALL_MODEL",
  "RIGHTSIZE_LARGE_BASE_URL",
  "RIGHTSIZE_LARGE_API_KEY",
  "RIGHTSIZE_LARGE_MODEL",
  "OPENAI_BASE_URL",
  "OPENAI_API_KEY",
  "RIGHTSIZE_DB",
  "PORT",
] as const;

/** What to do when the quickstart's small model cannot be downloaded (no internet). */
export const OFFLINE_SMALL_MODEL_HINT = "Or start with a local GGUF instead: RIGHTSIZE_SMALL_MODEL=/path/to/model.gguf npm start.";

export function defaultConfig(env: Readonly<Record<string, string | undefined>>): RightsizeConfigInput {
  const small = env.RIGHTSIZE_SMALL_MODEL || DEFAULT_SMALL_MODEL_REF;
  const largeUrl = env.RIGHTSIZE_LARGE_BASE_URL || env.OPENAI_BASE_URL || (env.OPENAI_API_KEY ? "https://api.openai.com/v1" : "");
  const models: RightsizeConfigInput["models"] = [
    {
      id: "small",
      provider: "llama-cpp",
      model: small,
      tier: "small",
      contextSize: 4096,
      // A 0.5B model on a CPU writes ~20 tokens/s: without a cap an unbounded answer takes minutes.
      defaultMaxTokens: 512,
      price: { input: 0, output: 0 },
    },
  ];
  if (largeUrl) {
    models.push({
      id: "large",
      provider: "openai-compatible",
      model: env.RIGHTSIZE_LARGE_MODEL || "gpt-4o-mini",
      baseUrl: largeUrl,
      apiKey: env.RIGHTSIZE_LARGE_API_KEY || env.OPENAI_API_KEY || "",
      tier: "large",
      contextWindow: 128_000,
      price: { input: 0.15, output: 0.6 },
    });
  }
  const escalate = largeUrl ? "large" : "small";
  return {
    server: { port: Number(env.PORT || 8080) },
    models,
    routers: [
      {
        id: "rightsize/auto",
        kind: "rules",
        targets: largeUrl ? ["small", "large"] : ["small"],
        fallbacks: largeUrl ? ["large"] : [],
        settings: {
          default: "small",
          rules: [
            { name: "caller asked for the large tier", when: { header: { "x-rightsize-tier": "large" } }, target: escalate },
            { name: "long prompt", when: { minPromptTokens: 2000 }, target: escalate },
            { name: "code or tools", when: { any: [{ hasCode: true }, { hasTools: true }] }, target: escalate },
            { name: "reasoning words", when: { regex: "(?i)\\b(prove|derive|step by step|analy[sz]e|debug)\\b" }, target: escalate },
          ],
        },
      },
    ],
    storage: { path: env.RIGHTSIZE_DB || "rightsize.db" },
  };
}
