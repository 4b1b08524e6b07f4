import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "../../config/config-error.js";
import type { StorageConfig } from "../../config/storage-config-schema.js";
import { type LogSettings, loadLogSettings } from "../../config/load-log-settings.js";
import { PriceTable } from "../../pricing/price-table.js";
import { requestLogLocation } from "../../storage/create-request-log-store.js";
import type { RequestLogLocation } from "../../storage/request-log-location.js";
import { describeRequestLogLocation, isPostgresUrl } from "../../storage/request-log-location.js";
import { CliError } from "../cli-error.js";

export interface LogsSource {
  /** The request log to read, as messages name it (a file, or a PostgreSQL URL without its password). */
  db: string;
  location: RequestLogLocation;
  prices: PriceTable;
  /** The config's redaction set (`storage.redact`), for commands that write to the log or export from it. */
  redact?: StorageConfig["redact"];
}

const pricesFileSchema = z.record(z.string().min(1), z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative() }));

/**
 * Where `rightsize logs` reads from and which prices it compares with: `--db` (a file or a
 * postgres:// URL) wins over the config's storage (`kind: postgres`: its URL and schema; else
 * `storage.path`, relative to the config file's folder), else `rightsize.db` here;
 * prices come from the config's models, and `--prices` (JSON `{ "model": { "input", "output" } }`)
 * adds or overrides.
 */
export async function resolveLogsSource(options: { config?: string; db?: string; prices?: string }): Promise<LogsSource> {
  const loaded = options.config ? await loadSettings(options.config) : undefined;
  let location: RequestLogLocation;
  if (options.db) {
    location = isPostgresUrl(options.db)
      ? { kind: "postgres", url: options.db, schema: loaded?.storage.postgres.schema ?? "rightsize" }
      : { kind: "sqlite", file: resolve(options.db) };
  } else if (loaded) {
    if (loaded.storage.kind === "sqlite" && loaded.storage.path === ":memory:") {
      throw new CliError(`${loaded.file}: storage.path is ":memory:", so there is no request log on disk to read`);
    }
    location = requestLogLocation(loaded.storage, loaded.dir);
  } else location = { kind: "sqlite", file: resolve("rightsize.db") };
  const priced = new Map((loaded?.prices ?? []).map((model) => [model.id, model.price]));
  if (options.prices) {
    for (const [id, price] of Object.entries(await readPricesFile(options.prices))) priced.set(id, price);
  }
  const source: LogsSource = {
    db: describeRequestLogLocation(location),
    location,
    prices: new PriceTable([...priced].map(([id, price]) => ({ id, price }))),
  };
  if (loaded) source.redact = loaded.storage.redact;
  return source;
}

/** Only the storage section and the model prices: reading the log needs no upstream secret. */
async function loadSettings(file: string): Promise<LogSettings> {
  try {
    return await loadLogSettings(file);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

async function readPricesFile(file: string): Promise<Record<string, { input: number; output: number }>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new CliError(`--prices ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = pricesFileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(top level)";
    throw new CliError(`--prices ${file}: ${where}: ${issue?.message ?? "invalid"}; expected {"model-id": {"input": 0.15, "output": 0.6}}`);
  }
  return result.data;
}
