import { randomBytes } from "node:crypto";
import pg from "pg";

/** The machine's PostgreSQL (trust auth, database `test`); override with RIGHTSIZE_TEST_POSTGRES_URL. */
export const TEST_POSTGRES_URL = process.env.RIGHTSIZE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The same server reached through another port (e.g. a TCP proxy in front of it). */
export function postgresUrlOnPort(port: number): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return url.toString();
}

export function postgresTarget(): { host: string; port: number } {
  const url = new URL(TEST_POSTGRES_URL);
  return { host: url.hostname, port: Number(url.port || 5432) };
}

/**
 * Whether PostgreSQL answers. Tests skip (saying why) only when it does not; with
 * RIGHTSIZE_REQUIRE_SERVICES=1 (CI) an absent server fails instead.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    if (process.env.RIGHTSIZE_REQUIRE_SERVICES === "1")
      throw new Error(`PostgreSQL is required but does not answer at ${TEST_POSTGRES_URL}: ${error}`);
    process.stderr.write(`PostgreSQL does not answer at ${TEST_POSTGRES_URL} (${error}); skipping its tests\n`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema name no other test run uses. */
export function uniqueSchema(label = "t"): string {
  return `rs_test_${label}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

/** Runs SQL on the test database with a short-lived client. */
export async function withPostgres<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withPostgres((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}
