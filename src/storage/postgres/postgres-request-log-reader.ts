import { describeDatabaseUrl } from "../describe-database-url.js";
import { readExchangePages } from "../read-exchange-pages.js";
import { RequestLogOpenError } from "../request-log-open-error.js";
import type { RequestLogReader } from "../request-log-store.js";
import { describePostgresError } from "./classify-postgres-error.js";
import { checkApplied } from "./migrate-postgres.js";
import { quoteIdent, tableNamer } from "./postgres-migration.js";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations.js";
import { PostgresRequestLogQueries } from "./postgres-request-log-queries.js";
import { createPostgresPool, loadPg } from "./open-postgres-pool.js";
import { READ_TIMEOUT_MS } from "./open-store-pools.js";

/**
 * Opens an existing PostgreSQL request log for reading (`rightsize logs`): never creates or
 * migrates. Throws `RequestLogOpenError` when the server cannot be reached, the schema holds no
 * request log yet, or a newer rightsize migrated it in a way this one cannot read.
 */
export async function openPostgresRequestLogReader(url: string, schema = "rightsize"): Promise<RequestLogReader> {
  const where = describeDatabaseUrl(url);
  const pg = await loadPg(url);
  const pool = createPostgresPool(pg, { url, max: 2, queryTimeoutMs: READ_TIMEOUT_MS, onError: () => undefined });
  try {
    const tracked = await pool.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [
      `${quoteIdent(schema)}.schema_migrations`,
    ]);
    if (!tracked.rows[0]?.found) {
      throw new RequestLogOpenError(where, `no request log in schema "${schema}" (the gateway creates it on first start)`);
    }
    const applied = await pool.query<{ version: number; name: string; checksum: string; breaking: boolean }>(
      `SELECT version, name, checksum, breaking FROM ${tableNamer(schema)("schema_migrations")} ORDER BY version`,
    );
    checkApplied(schema, applied.rows, POSTGRES_MIGRATIONS);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof RequestLogOpenError) throw error;
    throw new RequestLogOpenError(where, `cannot be read: ${describePostgresError(error)}`);
  }
  const queries = new PostgresRequestLogQueries(pool, schema);
  return {
    list: (query) => queries.list(query),
    count: () => queries.count(),
    costSummary: (query) => queries.costSummary(query),
    findRequest: (id) => queries.findRequest(id),
    findEpisode: (episodeId) => queries.findEpisode(episodeId),
    listFeedback: (query) => queries.listFeedback(query),
    feedbackSummary: (query) => queries.feedbackSummary(query),
    listShadow: (query) => queries.listShadow(query),
    shadowSummary: (query) => queries.shadowSummary(query),
    exchanges: (query = {}) => readExchangePages(query, (cursor, limit) => queries.exchangePage(query, cursor, limit)),
    close: () => pool.end(),
  };
}
