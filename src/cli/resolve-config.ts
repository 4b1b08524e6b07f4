import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { RightsizeConfig } from "../config/config-schema.js";
import { ConfigError } from "../config/config-error.js";
import { loadGatewayConfig, parseGatewayConfig } from "../server/load-gateway-config.js";
import { CliError } from "./cli-error.js";
import { defaultConfig } from "./default-config.js";

/** How the config was chosen: --config, $RIGHTSIZE_CONFIG, a rightsize.yaml in the current folder, or none (the quickstart). */
export type ConfigOrigin = "flag" | "env" | "cwd" | "builtin";

export interface ResolvedConfig {
  config: RightsizeConfig;
  /** Where it came from: a file path or "built-in quickstart config". */
  source: string;
  origin: ConfigOrigin;
  /** Environment variables the config file references as ${NAME} (empty for the built-in config). */
  referencedEnv: ReadonlySet<string>;
  dir: string;
  /** The 1-based line of a config path in the file (undefined for the built-in config). */
  lineOf?: (path: readonly PropertyKey[]) => number | undefined;
}

const candidates = ["rightsize.yaml", "rightsize.yml", "rightsize.json"];

/** --config, else $RIGHTSIZE_CONFIG, else ./rightsize.{yaml,yml,json}, else the quickstart default. */
export async function resolveConfig(file: string | undefined, env = process.env): Promise<ResolvedConfig> {
  const fromEnv = env.RIGHTSIZE_CONFIG || undefined;
  const explicit = file ?? fromEnv;
  const found = explicit ?? candidates.find((name) => existsSync(name));
  const origin: ConfigOrigin = file !== undefined ? "flag" : fromEnv !== undefined ? "env" : found ? "cwd" : "builtin";
  try {
    if (found) {
      const loaded = await loadGatewayConfig(found, env);
      const referencedEnv = new Set(
        [...readFileSync(loaded.file, "utf8").matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string),
      );
      return { config: loaded.config, source: loaded.file, origin, referencedEnv, dir: loaded.dir, lineOf: loaded.lineOf };
    }
    return {
      config: parseGatewayConfig(defaultConfig(env), { env, file: "built-in quickstart config" }),
      source: "built-in quickstart config",
      origin,
      referencedEnv: new Set(),
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

/** Says where a config came from and how to choose another, for the serve banner. */
export function describeConfigOrigin(resolved: Pick<ResolvedConfig, "source" | "origin">): string {
  switch (resolved.origin) {
    case "flag":
      return `${resolved.source} (from --config)`;
    case "env":
      return `${resolved.source} (from $RIGHTSIZE_CONFIG)`;
    case "cwd":
      return `${resolved.source} (found in the current folder; --config or $RIGHTSIZE_CONFIG choose another)`;
    case "builtin":
      return "built-in quickstart config (no --config, no $RIGHTSIZE_CONFIG, no ./rightsize.yaml)";
  }
}
