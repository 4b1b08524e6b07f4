import { z } from "zod";
import { ConfigError, type ConfigProblem } from "./config-error.js";
import { type StorageConfig, storageSchema } from "./storage-config-schema.js";
import { formatConfigPath } from "./format-config-path.js";
import { interpolateEnv, type MissingEnvVariable } from "./interpolate-env.js";
import { readConfigDocument, toProblem } from "./load-config.js";

/** What reading the request log needs from a config: where the log is and what each model costs. */
export interface LogSettings {
  storage: StorageConfig;
  prices: { id: string; price: { input: number; output: number } }[];
  file: string;
  dir: string;
}

const modelPrices = z.looseObject({
  id: z.string().min(1),
  price: z
    .looseObject({ input: z.number().nonnegative().default(0), output: z.number().nonnegative().default(0) })
    .default({ input: 0, output: 0 }),
});

const logSections = z.looseObject({
  storage: storageSchema.prefault({}),
  models: z.array(modelPrices).default([]),
});

/**
 * Reads only `storage` and the models' ids and prices from a config file: the rest (upstream
 * URLs and API keys, client keys) is not needed to read the request log, so environment
 * variables it references need not be set, and it is not validated here.
 */
export async function loadLogSettings(file: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<LogSettings> {
  const document = await readConfigDocument(file);
  const root = document.value !== null && typeof document.value === "object" ? (document.value as Record<string, unknown>) : {};
  const missing: MissingEnvVariable[] = [];
  const models = Array.isArray(root.models) ? root.models : [];
  const input = {
    storage: interpolateEnv(root.storage, env, missing, ["storage"]),
    models: models.map((model, i) =>
      model !== null && typeof model === "object"
        ? {
            id: interpolateEnv((model as Record<string, unknown>).id, env, missing, ["models", i, "id"]),
            price: interpolateEnv((model as Record<string, unknown>).price, env, missing, ["models", i, "price"]),
          }
        : model,
    ),
  };
  const problems: ConfigProblem[] = missing.map((m) => ({
    path: formatConfigPath(m.path),
    message: `environment variable ${m.name} is not set (write \${${m.name}:-default} for a default)`,
    line: document.lineOf(m.path),
  }));
  const result = logSections.safeParse(input);
  if (!result.success) problems.push(...result.error.issues.map((issue) => toProblem(issue, document.lineOf)));
  if (problems.length > 0 || !result.success) throw new ConfigError(document.file, problems);
  return { storage: result.data.storage, prices: result.data.models, file: document.file, dir: document.dir };
}
