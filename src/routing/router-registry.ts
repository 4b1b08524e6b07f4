import type { z } from "zod";
import type { RouterConfig } from "../config/config-schema.js";
import { learnedRouterKinds } from "./learned-router-kinds.js";
import type { Router } from "./router.js";
import type { RouterBuildContext, RouterFactory } from "./router-factory.js";
import { RouterSettingsError } from "./router-settings-error.js";

export type { RouterBuildContext, RouterFactory } from "./router-factory.js";
export { RouterSettingsError } from "./router-settings-error.js";

/**
 * The routing layer's kinds: each chooses a target. (`cascade` is not a router but an
 * execution strategy; the engine's `createRouter` adds it.)
 */
const builtInKinds: Record<string, () => Promise<RouterFactory>> = {
  fixed: async () => (await import("./routers/fixed-router.js")).createFixedRouter,
  rules: async () => (await import("./routers/rules-router.js")).createRulesRouter,
  ...learnedRouterKinds,
};

const extraKinds = new Map<string, RouterFactory>();
const extraSettings = new Map<string, z.ZodType | undefined>();

export interface RouterKindOptions {
  /**
   * The schema of this kind's `settings`: given, the config check validates them with paths and
   * lines and the JSON Schema describes them; without it the settings stay loose in the config.
   */
  settings?: z.ZodType;
}

/** Adds a router kind (for library users with their own routers). */
export function registerRouterKind(kind: string, factory: RouterFactory, options: RouterKindOptions = {}): void {
  extraKinds.set(kind, factory);
  extraSettings.set(kind, options.settings);
}

/** The kinds added with `registerRouterKind` and their settings schema (undefined: loose settings). */
export function registeredRouterKinds(): ReadonlyMap<string, z.ZodType | undefined> {
  return extraSettings;
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
