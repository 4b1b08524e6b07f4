import { isAbsolute, resolve } from "node:path";
import type { StorageConfig } from "../config/config-schema.js";
import { MemoryRequestLogStore } from "./memory-request-log-store.js";
import { NoopRequestLogStore } from "./noop-request-log-store.js";
import type { RequestLogStoreOptions } from "./request-log-options.js";
import type { RequestLogStore } from "./request-log-store.js";

export interface CreateRequestLogStoreOptions extends RequestLogStoreOptions {
  /** Folder a relative `storage.path` is resolved against: the config file's folder (default: cwd). */
  baseDir?: string;
}

/** The request log file a config points at (`:memory:` stays as is). */
export function resolveStoragePath(config: Pick<StorageConfig, "path">, baseDir = process.cwd()): string {
  if (config.path === ":memory:" || isAbsolute(config.path)) return config.path;
  return resolve(baseDir, config.path);
}

/**
 * The request log the config asks for: none (`enabled: false`), in memory (`path: ":memory:"`),
 * or a SQLite file written by a worker thread (better-sqlite3 is loaded only then).
 * Throws `RequestLogOpenError` when the file cannot be used.
 */
export async function createRequestLogStore(
  config: Omit<StorageConfig, "redact"> & Partial<Pick<StorageConfig, "redact">>,
  options: CreateRequestLogStoreOptions = {},
): Promise<RequestLogStore> {
  if (!config.enabled) return new NoopRequestLogStore();
  const storeOptions: RequestLogStoreOptions = {
    ...options,
    logContent: options.logContent ?? config.logContent,
    redact: options.redact ?? config.redact,
  };
  if (config.path === ":memory:") return new MemoryRequestLogStore(storeOptions);
  const { SqliteRequestLogStore } = await import("./sqlite/sqlite-request-log-store.js");
  return SqliteRequestLogStore.open(resolveStoragePath(config, options.baseDir), storeOptions);
}
