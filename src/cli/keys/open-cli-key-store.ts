import { existsSync } from "node:fs";
import { PostgresKeyStore } from "../../storage/keys/postgres-key-store.js";
import type { KeyStore } from "../../storage/keys/key-store.js";
import { SqliteKeyStore } from "../../storage/keys/sqlite-key-store.js";
import { RequestLogOpenError } from "../../storage/request-log-open-error.js";
import { CliError } from "../cli-error.js";
import { resolveLogsSource } from "../logs/resolve-logs-source.js";

const CANDIDATES = ["rightsize.yaml", "rightsize.yml", "rightsize.json"];

/**
 * The key store `rightsize keys` manages: `--db` (a SQLite file or postgres:// URL), else the
 * storage of the config (`--config`, $RIGHTSIZE_CONFIG or ./rightsize.yaml), else ./rightsize.db.
 * Only the config's storage section is read.
 */
export async function openCliKeyStore(options: { config?: string; db?: string }): Promise<{ store: KeyStore; where: string }> {
  const config = options.config ?? (process.env.RIGHTSIZE_CONFIG || undefined) ?? CANDIDATES.find((name) => existsSync(name));
  const source = await resolveLogsSource({ config, db: options.db });
  try {
    const { location } = source;
    const store =
      location.kind === "postgres"
        ? await PostgresKeyStore.open({ url: location.url, schema: location.schema })
        : await SqliteKeyStore.open(location.file);
    return { store, where: source.db };
  } catch (error) {
    if (error instanceof RequestLogOpenError) throw new CliError(error.message);
    throw error;
  }
}
