import type { ModelConfig, RouterConfig } from "../config/config-schema.js";
import type { EmbeddingModelSource } from "./features/embedding-model-source.js";
import type { Router } from "./router.js";

/** What a router factory gets besides its own config entry. */
export interface RouterBuildContext {
  /** Every configured model, to check targets and read prices/tiers. */
  models: readonly ModelConfig[];
  /** Folder of the config file: relative paths in settings (artifacts) resolve against it. */
  configDir: string;
  /** The providers' embedding models, for routers whose features embed the prompt (the gateway's). */
  embeddingModels?: EmbeddingModelSource;
}

/**
 * Builds a router from its config entry. A factory validates `config.settings` itself and
 * throws a `RouterSettingsError` naming the field (`settings.rules[0].when.maxTokens`) on
 * bad input.
 */
export type RouterFactory = (config: RouterConfig, context: RouterBuildContext) => Router | Promise<Router>;
