import { userInfo } from "node:os";
import type { Pool, PoolClient, PoolConfig } from "pg";
import { describeDatabaseUrl } from "../describe-database-url.js";
import { RequestLogOpenError } from "../request-log-open-error.js";

type PgModule = typeof import("pg");

let driver: Promise<PgModule> | undefined;

/** Loads the `pg` driver on first use, so the library works without it installed. */
export function loadPg(url: string): Promise<PgModule> {
  driver ??= import("pg").then(
    (module) => module as PgModule,
    (error: unknown) => {
      driver = undefined;
      throw new RequestLogOpenError(
        describeDatabaseUrl(url),
        `the PostgreSQL request log needs the pg package (npm install pg): ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  );
  return driver;
}

export interface PostgresPoolOptions {
  url: string;
  /** Connections in the pool. */
  max: number;
  /** Client-side limit of one query; the server is told the same through statement_timeout. */
  queryTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Errors of idle connections (a server restart): reported, never thrown. */
  onError: (error: Error) => void;
}

/**
 * A pool that parses int8 (counts, sums, epoch milliseconds) as numbers, sets the server-side
 * statement timeout, keeps TCP alive, never keeps the process alive when idle, and reports idle
 * connection errors instead of crashing the process.
 */
export function createPostgresPool(pg: PgModule, options: PostgresPoolOptions): Pool {
  const types = new pg.TypeOverrides();
  types.setTypeParser(20, Number);
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.max,
    types,
    keepAlive: true,
    allowExitOnIdle: true,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    application_name: "rightsize",
  };
  if (options.queryTimeoutMs !== undefined) {
    config.query_timeout = options.queryTimeoutMs;
    config.statement_timeout = options.queryTimeoutMs;
  }
  // pg falls back to $USER for a URL without a user, unset in some containers; libpq (psql) uses the OS user.
  if (!hasUser(options.url) && !process.env.PGUSER && !process.env.USER) config.user = userInfo().username;
  const pool = new pg.Pool(config);
  pool.on("error", (error) => options.onError(error));
  return pool;
}

function hasUser(url: string): boolean {
  try {
    return new URL(url).username !== "";
  } catch {
    return true;
  }
}

/**
 * Runs `use` on a connection of the pool. A checked-out pg client emits `error` when its socket
 * dies, and an unhandled `error` event would end the process: this listens for it while the
 * client is out, and a client that failed is destroyed rather than returned to the pool.
 */
export async function withPostgresClient<T>(pool: Pool, use: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let socketError: Error | undefined;
  const onError = (error: Error) => {
    socketError = error;
  };
  client.on("error", onError);
  try {
    const result = await use(client);
    client.off("error", onError);
    client.release(socketError);
    return result;
  } catch (error) {
    client.off("error", onError);
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}
