import type { ModelConfig, RouterConfig } from "../config/config-schema.js";
import type { Router } from "./router.js";
import { learnedRouterKinds } from "./learned-router-kinds.js";

/** What a router factory gets besides its own config entry. */
export interface RouterBuildContext {
  /** Every configured model, to check targets and read prices/tiers. */
  models: readonly ModelConfig[];
  /** Folder of the config file: relative paths in settings (artifacts) resolve against it. */
  configDir: string;
}

/**
 * Builds a router from its config entry. A factory validates `config.settings` itself and
 * throws a `RouterSettingsError` naming the field (`settings.rules[0].when.maxTokens`) on
 * bad input.
 */
export type RouterFactory = (config: RouterConfig, context: RouterBuildContext) => Router | Promise<Router>;

export class RouterSettingsError extends Error {
  constructor(
    /** Path inside the router entry, e.g. `settings.rules[0].target`. */
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "RouterSettingsError";
  }
}

const builtInKinds: Record<string, () => Promise<RouterFactory>> = {
  fixed: async () => (await import("./routers/fixed-router.js")).createFixedRouter,
  rules: async () => (await import("./routers/rules-router.js")).createRulesRouter,
  cascade: async () => (await import("./routers/cascade-router.js")).createCascadeRouter,
  ...learnedRouterKinds,
};

const extraKinds = new Map<string, RouterFactory>();

/** Adds a router kind (for library users with their own routers). */
export function registerRouterKind(kind: string, factory: RouterFactory): void {
  extraKinds.set(kind, factory);
}

export function routerKinds(): string[] {
  return [...Object.keys(builtInKinds), ...extraKinds.keys()].sort();
}

export async function createRouter(config: RouterConfig, context: RouterBuildContext): Promise<Router> {
  const extra = extraKinds.get(config.kind);
  const load = builtInKinds[config.kind];
  const factory = extra ?? (load ? await load() : undefined);
  if (!factory) {
    throw new RouterSettingsError("kind", `unknown router kind "${config.kind}"; known kinds: ${routerKinds().join(", ")}`);
  }
  return factory(config, context);
}
