import type { RouterConfig } from "../../config/config-schema.js";
import {
  createRouter as createChoosingRouter,
  routerKinds as choosingKinds,
  registeredRouterKinds,
} from "../../routing/router-registry.js";
import type { RouterBuildContext } from "../../routing/router-factory.js";
import { RouterSettingsError } from "../../routing/router-settings-error.js";
import type { Router } from "../../routing/router.js";
import { createCascadeRouter } from "./cascade/cascade-router.js";

/** Every kind a config's `routers[]` entry may have: the routing layer's and `cascade`, a strategy. */
export function routerKinds(): string[] {
  return [...new Set([...choosingKinds(), "cascade"])].sort();
}

/**
 * Builds a config's `routers[]` entry: a router of the routing layer, or, for `kind: cascade`,
 * the cascade's entry (its tiers, gate and budgets, which the engine executes as a strategy).
 * A kind registered with `registerRouterKind` takes precedence.
 */
export async function createRouter(config: RouterConfig, context: RouterBuildContext): Promise<Router> {
  if (config.kind === "cascade" && !registeredRouterKinds().has("cascade")) return createCascadeRouter(config, context);
  try {
    return await createChoosingRouter(config, context);
  } catch (error) {
    if (error instanceof RouterSettingsError && error.path === "kind") {
      throw new RouterSettingsError("kind", `unknown router kind "${config.kind}"; known kinds: ${routerKinds().join(", ")}`);
    }
    throw error;
  }
}
