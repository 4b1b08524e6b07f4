import { Pool } from "undici";

/**
 * One keep-alive undici Pool per upstream origin, shared by every model that talks to it and
 * released (closed) when the last of them closes.
 */
interface Entry {
  pool: Pool;
  users: number;
}

const pools = new Map<string, Entry>();

export function acquirePool(origin: string, connections: number): Pool {
  let entry = pools.get(origin);
  if (!entry) {
    entry = {
      pool: new Pool(origin, {
        connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: { timeout: 10_000 },
      }),
      users: 0,
    };
    pools.set(origin, entry);
  }
  entry.users++;
  return entry.pool;
}

export async function releasePool(origin: string, pool: Pool): Promise<void> {
  const entry = pools.get(origin);
  if (!entry || entry.pool !== pool) return;
  entry.users--;
  if (entry.users > 0) return;
  pools.delete(origin);
  await pool.destroy();
}
