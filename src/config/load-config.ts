import { readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument, isNode } from "yaml";
import type { z } from "zod";
import { ConfigError, type ConfigProblem } from "./config-error.js";
import { configSchema, type RightsizeConfig } from "./config-schema.js";
import { formatConfigPath } from "./format-config-path.js";
import { interpolateEnv, type MissingEnvVariable } from "./interpolate-env.js";
import { checkConfigReferences } from "./check-config-references.js";

export interface LoadedConfig {
  config: RightsizeConfig;
  /** Absolute path of the file (or "<inline>"). */
  file: string;
  /** Folder relative paths in the config resolve against. */
  dir: string;
  /** The 1-based line of a config path in the file (for messages about what the schema cannot check). */
  lineOf: (path: readonly PropertyKey[]) => number | undefined;
}

export interface ParseConfigOptions {
  env?: Readonly<Record<string, string | undefined>>;
  file?: string;
  /** Maps a config path to its 1-based line in the source, for messages. */
  lineOf?: (path: readonly PropertyKey[]) => number | undefined;
  /** The schema to validate with (default: `configSchema`, loose router settings; the gateway passes `gatewayConfigSchema()`). */
  schema?: typeof configSchema;
}

export interface LoadConfigOptions {
  schema?: typeof configSchema;
}

/** Validates an already-parsed config object (YAML/JSON document or a literal). */
export function parseConfig(input: unknown, options: ParseConfigOptions = {}): RightsizeConfig {
  const file = options.file ?? "<inline>";
  const missing: MissingEnvVariable[] = [];
  const interpolated = interpolateEnv(input, options.env ?? process.env, missing);
  const problems: ConfigProblem[] = missing.map((m) => ({
    path: formatConfigPath(m.path),
    message: `environment variable ${m.name} is not set (write \${${m.name}:-default} for a default)`,
    line: options.lineOf?.(m.path),
  }));
  const result = (options.schema ?? configSchema).safeParse(interpolated);
  if (!result.success) {
    problems.push(...result.error.issues.map((issue) => toProblem(issue, options.lineOf)));
    throw new ConfigError(file, problems);
  }
  problems.push(...checkConfigReferences(result.data).map((p) => ({ ...p, line: options.lineOf?.(p.pathParts) })));
  if (problems.length > 0)
    throw new ConfigError(
      file,
      problems.map(({ path: p, message, line }) => ({ path: p, message, line })),
    );
  return result.data;
}

/** Reads, interpolates and validates a YAML or JSON config file. */
export async function loadConfig(
  file: string,
  env?: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  const document = await readConfigDocument(file);
  const config = parseConfig(document.value, { env, file: document.file, lineOf: document.lineOf, schema: options.schema });
  return { config, file: document.file, dir: document.dir, lineOf: document.lineOf };
}

/** A config file read and parsed as YAML (or JSON), before interpolation and validation. */
export interface ConfigDocument {
  value: unknown;
  /** Absolute path of the file. */
  file: string;
  dir: string;
  lineOf: (path: readonly PropertyKey[]) => number | undefined;
}

/** Reads a YAML or JSON config file; a missing file or a syntax error is a `ConfigError` with its line. */
export async function readConfigDocument(file: string): Promise<ConfigDocument> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : String(error);
    throw new ConfigError(absolute, [{ path: "(file)", message: reason }]);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      absolute,
      document.errors.map((e) => ({
        path: "(syntax)",
        message: e.message.split("\n")[0] ?? e.message,
        line: e.linePos?.[0]?.line,
      })),
    );
  }
  const lineOf = (configPath: readonly PropertyKey[]): number | undefined => {
    for (let depth = configPath.length; depth >= 0; depth--) {
      const node = document.getIn(configPath.slice(0, depth) as (string | number)[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { value: document.toJS(), file: absolute, dir: path.dirname(absolute), lineOf };
}

export function toProblem(issue: z.core.$ZodIssue, lineOf: ParseConfigOptions["lineOf"]): ConfigProblem {
  let message = issue.message;
  if (issue.code === "unrecognized_keys") message = `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  if (issue.code === "invalid_union" && issue.path.at(-1) === "provider") {
    message = `unknown provider; use openai-compatible, anthropic or llama-cpp`;
  }
  return { path: formatConfigPath(issue.path), message, line: lineOf?.(issue.path) };
}
