import { existsSync } from "node:fs";
import path from "node:path";
import type { RightsizeConfig } from "../config/config-schema.js";
import { ConfigError } from "../config/config-error.js";
import { loadGatewayConfig, parseGatewayConfig } from "../server/load-gateway-config.js";
import { CliError } from "./cli-error.js";
import { defaultConfig } from "./default-config.js";

export interface ResolvedConfig {
  config: RightsizeConfig;
  /** Where it came from: a file path or "built-in quickstart config". */
  source: string;
  dir: string;
  /** The 1-based line of a config path in the file (undefined for the built-in config). */
  lineOf?: (path: readonly PropertyKey[]) => number | undefined;
}

const candidates = ["rightsize.yaml", "rightsize.yml", "rightsize.json"];

/** --config, else $RIGHTSIZE_CONFIG, else ./rightsize.{yaml,yml,json}, else the quickstart default. */
export async function resolveConfig(file: string | undefined, env = process.env): Promise<ResolvedConfig> {
  const explicit = file ?? env.RIGHTSIZE_CONFIG;
  const found = explicit ?? candidates.find((name) => existsSync(name));
  try {
    if (found) {
      const loaded = await loadGatewayConfig(found, env);
      return { config: loaded.config, source: loaded.file, dir: loaded.dir, lineOf: loaded.lineOf };
    }
    return {
      config: parseGatewayConfig(defaultConfig(env), { env, file: "built-in quickstart config" }),
      source: "built-in quickstart config",
      dir: path.resolve("."),
    };
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`invalid config:\n${error.message}`, 2);
    throw error;
  }
}

/** A config problem found after loading (router settings a factory rejects) as the CLI reports it. */
export function invalidConfig(error: unknown): never {
  if (error instanceof ConfigError) throw new CliError(`invalid config:\n${error.message}`, 2);
  throw error;
}
