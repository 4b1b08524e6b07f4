import { postgresStorageSchema } from "../../config/storage-config-schema.js";
import type { StorageSelection } from "../create-request-log-store.js";
import { resolveStoragePath } from "../create-request-log-store.js";
import type { KeyStore } from "./key-store.js";
import { MemoryKeyStore } from "./memory-key-store.js";

/**
 * The key store of a config's storage: the PostgreSQL schema (`kind: postgres`), else the SQLite
 * file of the request log, else (`path: ":memory:"` or storage disabled) memory. Drivers are
 * loaded only when used.
 */
export async function createKeyStore(config: StorageSelection, options: { baseDir?: string } = {}): Promise<KeyStore> {
  if (config.kind === "postgres") {
    if (config.url === undefined) throw new Error("storage.kind is postgres but storage.url is not set");
    const { PostgresKeyStore } = await import("./postgres-key-store.js");
    return PostgresKeyStore.open({ url: config.url, schema: postgresStorageSchema.parse(config.postgres ?? {}).schema });
  }
  if (!config.enabled || config.path === ":memory:") return new MemoryKeyStore();
  const { SqliteKeyStore } = await import("./sqlite-key-store.js");
  return SqliteKeyStore.open(resolveStoragePath(config, options.baseDir));
}

/** Whether the config's keys outlive the process (the CLI manages only those). */
export function keyStoreIsPersistent(config: StorageSelection): boolean {
  return config.kind === "postgres" || (config.enabled && config.path !== ":memory:");
}
