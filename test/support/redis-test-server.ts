import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** The machine's Redis; override with RIGHTSIZE_TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env.RIGHTSIZE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function redisTarget(): { host: string; port: number } {
  const url = new URL(TEST_REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

/** The same server through another port (a TCP proxy in front of it). */
export function redisUrlOnPort(port: number): string {
  const url = new URL(TEST_REDIS_URL);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return url.toString();
}

/**
 * Whether Redis answers. Tests skip (saying why) only when it does not; with
 * RIGHTSIZE_REQUIRE_SERVICES=1 (CI) an absent server fails instead.
 */
export async function redisAvailable(): Promise<boolean> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.RIGHTSIZE_REQUIRE_SERVICES === "1")
      throw new Error(`Redis is required but does not answer at ${TEST_REDIS_URL}: ${error}`);
    process.stderr.write(`Redis does not answer at ${TEST_REDIS_URL} (${error}); skipping its tests\n`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** A key prefix no other test run uses. */
export function uniquePrefix(label = "t"): string {
  return `rs-test:${label}:${process.pid}:${randomBytes(4).toString("hex")}:`;
}

/** Deletes every key under `prefix`; returns how many there were. */
export async function deleteKeys(prefix: string): Promise<number> {
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== "0");
    return deleted;
  } finally {
    client.disconnect();
  }
}

/** Keys under `prefix` (to check what the state wrote). */
export async function keysUnder(prefix: string): Promise<string[]> {
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    return (await client.keys(`${prefix}*`)).sort();
  } finally {
    client.disconnect();
  }
}
