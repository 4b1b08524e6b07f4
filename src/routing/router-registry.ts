import type { RouterConfig } from "../config/config-schema.js";
import { learnedRouterKinds } from "./learned-router-kinds.js";
import type { Router } from "./router.js";
import type { RouterBuildContext, RouterFactory } from "./router-factory.js";
import { RouterSettingsError } from "./router-settings-error.js";

export type { RouterBuildContext, RouterFactory } from "./router-factory.js";
export { RouterSettingsError } from "./router-settings-error.js";

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
