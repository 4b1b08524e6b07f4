import { ConfigError, type ConfigProblem } from "../config/config-error.js";
import type { RightsizeConfig } from "../config/config-schema.js";
import { formatConfigPath, parseConfigPath } from "../config/format-config-path.js";
import { createRouter } from "../engine/strategies/create-router.js";
import { RouterSettingsError } from "../routing/router-registry.js";
import type { EmbeddingModelSource } from "../routing/features/embedding-model-source.js";
import type { Router } from "../routing/router.js";
import { providerEmbeddingModels } from "./provider-embedding-models.js";

/** Where a config came from, so problems found while building it name the file and line. */
export interface ConfigSource {
  /** The config file (or a description such as "built-in quickstart config"). */
  file: string;
  /** The 1-based line of a config path in the file. */
  lineOf?: (path: readonly PropertyKey[]) => number | undefined;
}

export interface BuildRoutersOptions {
  /** Folder relative paths in router settings (artifacts) resolve against. */
  configDir: string;
  source?: ConfigSource;
  /** Where routers' embedders get their models (default: made from the providers, shared per spec). */
  embeddingModels?: EmbeddingModelSource;
}

/**
 * Builds every configured router. What only a router's factory can check (a tier or a rule
 * target that is not a configured model, an artifact that does not load, …) is reported like a
 * schema error: one `ConfigError` naming the file, line and path of each problem.
 */
export async function buildRouters(config: RightsizeConfig, options: BuildRoutersOptions): Promise<Map<string, Router>> {
  const routers = new Map<string, Router>();
  const problems: ConfigProblem[] = [];
  for (const index of config.routers.keys()) {
    try {
      const router = await buildRouter(config, index, options);
      routers.set(router.id, router);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(options.source?.file ?? "config", problems);
  return routers;
}

/** Builds the router at `routers[index]`; a settings problem becomes a `ConfigError` with its line. */
export async function buildRouter(config: RightsizeConfig, index: number, options: BuildRoutersOptions): Promise<Router> {
  const routerConfig = config.routers[index];
  if (!routerConfig) throw new RangeError(`no router at routers[${index}]`);
  try {
    const embeddingModels = options.embeddingModels ?? providerEmbeddingModels(config.models);
    return await createRouter(routerConfig, { models: config.models, configDir: options.configDir, embeddingModels });
  } catch (error) {
    if (!(error instanceof RouterSettingsError)) throw error;
    const pathParts = ["routers", index, ...parseConfigPath(error.path)];
    const line = options.source?.lineOf?.(pathParts);
    throw new ConfigError(options.source?.file ?? "config", [{ path: formatConfigPath(pathParts), message: error.message, line }]);
  }
}
