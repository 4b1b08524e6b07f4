import { loadConfig, type LoadedConfig, type ParseConfigOptions, parseConfig } from "../config/load-config.js";
import type { RightsizeConfig } from "../config/config-schema.js";
import { gatewayConfigSchema } from "./gateway-config-schema.js";

/** Reads, interpolates and validates a config file, router settings included (`gatewayConfigSchema`). */
export function loadGatewayConfig(file: string, env?: Readonly<Record<string, string | undefined>>): Promise<LoadedConfig> {
  return loadConfig(file, env, { schema: gatewayConfigSchema() });
}

/** Validates an already-parsed config object, router settings included. */
export function parseGatewayConfig(input: unknown, options: Omit<ParseConfigOptions, "schema"> = {}): RightsizeConfig {
  return parseConfig(input, { ...options, schema: gatewayConfigSchema() });
}
