import type { RouterSettingsSchemas } from "../config/config-schema.js";
import { configJsonSchema } from "../config/config-json-schema.js";
import { createConfigSchema } from "../config/config-schema.js";
import { learnedRouterSettingsSchema } from "../routing/learned/learned-router-settings.js";
import { learnedRouterKinds } from "../routing/learned-router-kinds.js";
import { registeredRouterKinds } from "../routing/router-registry.js";
import { cascadeSettingsSchema } from "../engine/strategies/cascade/cascade-settings.js";
import { fixedRouterSettingsSchema } from "../routing/routers/fixed-router.js";
import { rulesRouterSettingsSchema } from "../routing/routers/rules-router.js";

/**
 * The settings schema of every router kind the gateway knows: the built-in kinds (each schema
 * lives with its kind) and those registered with `registerRouterKind`. The config layer knows no
 * router kind; the gateway, as the composition root, assembles them here.
 */
export function routerSettingsSchemas(): RouterSettingsSchemas {
  const schemas: Record<string, RouterSettingsSchemas[string]> = {
    fixed: fixedRouterSettingsSchema,
    rules: rulesRouterSettingsSchema,
    cascade: cascadeSettingsSchema,
  };
  for (const kind of Object.keys(learnedRouterKinds)) schemas[kind] = learnedRouterSettingsSchema;
  for (const [kind, settings] of registeredRouterKinds()) {
    if (settings) schemas[kind] = settings;
    else delete schemas[kind];
  }
  return schemas;
}

/** The full config schema: `configSchema` with every known router kind's settings checked. */
export function gatewayConfigSchema() {
  return createConfigSchema(routerSettingsSchemas());
}

/** The JSON Schema of the config file with every known router kind's settings (`npm run schema` writes it). */
export function gatewayConfigJsonSchema(): Record<string, unknown> {
  return configJsonSchema(routerSettingsSchemas());
}
