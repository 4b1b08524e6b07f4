import { isAbsolute, resolve } from "node:path";
import type { StorageConfig } from "../config/storage-config-schema.js";
import { postgresStorageSchema } from "../config/storage-config-schema.js";
import { MemoryRequestLogStore } from "./memory-request-log-store.js";
import { NoopRequestLogStore } from "./noop-request-log-store.js";
import type { RequestLogLocation } from "./request-log-location.js";
import type { RequestLogStoreOptions } from "./request-log-options.js";
import type { RequestLogStore } from "./request-log-store.js";

export interface CreateRequestLogStoreOptions extends RequestLogStoreOptions {
  /** Folder a relative `storage.path` (or spool folder) is resolved against: the config file's folder (default: cwd). */
  baseDir?: string;
}

/** The storage section as the factory needs it: `kind`, `url` and `postgres` may be left out (SQLite). */
export type StorageSelection = Pick<StorageConfig, "enabled" | "path" | "logContent"> &
  Partial<Pick<StorageConfig, "kind" | "url" | "postgres" | "redact">>;

/** Resolves a path of the config against the config file's folder (`:memory:` stays as is). */
function resolveFrom(path: string, baseDir: string): string {
  if (path === ":memory:" || isAbsolute(path)) return path;
  return resolve(baseDir, path);
}

function postgresUrl(config: StorageSelection): string {
  if (config.url === undefined) throw new Error("storage.kind is postgres but storage.url is not set");
  return config.url;
}

/** The request log file a config points at (`:memory:` stays as is). */
export function resolveStoragePath(config: Pick<StorageConfig, "path">, baseDir = process.cwd()): string {
  return resolveFrom(config.path, baseDir);
}

/** Where the request log of a config lives (`kind: postgres`: its URL and schema; otherwise the SQLite file). */
export function requestLogLocation(config: StorageSelection, baseDir = process.cwd()): RequestLogLocation {
  if (config.kind === "postgres") {
    return { kind: "postgres", url: postgresUrl(config), schema: postgresStorageSchema.parse(config.postgres ?? {}).schema };
  }
  return { kind: "sqlite", file: resolveStoragePath(config, baseDir) };
}

/**
 * The request log the config asks for: none (`enabled: false`), PostgreSQL (`kind: postgres`,
 * spooling locally while it is down), in memory (`path: ":memory:"`), or a SQLite file written by
 * a worker thread. Drivers (pg, better-sqlite3) are loaded only when used. Throws
 * `RequestLogOpenError` when the log cannot be used.
 */
export async function createRequestLogStore(
  config: StorageSelection,
  options: CreateRequestLogStoreOptions = {},
): Promise<RequestLogStore> {
  if (!config.enabled) return new NoopRequestLogStore();
  const { baseDir = process.cwd(), ...rest } = options;
  const storeOptions: RequestLogStoreOptions = {
    ...rest,
    logContent: options.logContent ?? config.logContent,
    redact: options.redact ?? config.redact,
  };
  if (config.kind === "postgres") {
    const settings = postgresStorageSchema.parse(config.postgres ?? {});
    const { PostgresRequestLogStore } = await import("./postgres/postgres-request-log-store.js");
    return PostgresRequestLogStore.open({
      ...storeOptions,
      ...settings,
      url: postgresUrl(config),
      spoolDir: resolveFrom(settings.spoolDir, baseDir),
    });
  }
  if (config.path === ":memory:") return new MemoryRequestLogStore(storeOptions);
  const { SqliteRequestLogStore } = await import("./sqlite/sqlite-request-log-store.js");
  return SqliteRequestLogStore.open(resolveStoragePath(config, baseDir), storeOptions);
}
