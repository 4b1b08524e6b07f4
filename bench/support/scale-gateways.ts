/**
 * The gateway rows of `bench:scale` (issue 14): throughput and added latency of 1 gateway with
 * SQLite, 1 with PostgreSQL + Redis and 3 with PostgreSQL + Redis, in one run against the same
 * upstream simulator (faults off), and what a rate-limit + budget check through Redis adds to a
 * request on the same gateway (a key with limits vs one without, interleaved).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { Pool } from "undici";
import { PostgresKeyStore } from "../../src/storage/keys/postgres-key-store.js";
import { percentile } from "./latency-stats.js";
import { type Service, spawnService } from "./spawn-service.js";

export interface GatewayBenchOptions {
  root: string;
  work: string;
  postgresUrl: string;
  redisUrl: string;
  /** Requests per throughput run. */
  requests: number;
  connections: number;
  /** Sequential requests per latency sample. */
  latencyRequests: number;
}

export interface GatewayRow {
  setup: string;
  gateways: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Sequential p50 minus the simulator's own. */
  addedP50: number;
  errors: number;
}

export interface GatewayBenchResult {
  direct: { requestsPerSecond: number; p50: number };
  rows: GatewayRow[];
  limits: { withoutP50: number; withP50: number; addedP50: number; samples: number };
}

const body = (model: string) => JSON.stringify({ model, messages: [{ role: "user", content: "say hello" }], max_tokens: 16 });

async function one(pool: Pool, model: string, key: string | undefined, direct: boolean): Promise<{ ms: number; ok: boolean }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  if (direct) headers["x-sim-scenario"] = "ok";
  const started = performance.now();
  try {
    const response = await pool.request({ method: "POST", path: "/v1/chat/completions", headers, body: body(model) });
    await response.body.text();
    return { ms: performance.now() - started, ok: response.statusCode === 200 };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

/** `total` requests over `connections`, spread round-robin over the pools; requests/s and errors. */
async function throughput(
  pools: Pool[],
  model: string,
  key: string | undefined,
  total: number,
  connections: number,
  direct = false,
): Promise<{ perSecond: number; errors: number; ms: number[] }> {
  let next = 0;
  let errors = 0;
  const ms: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < total) {
        const i = next++;
        const result = await one(pools[i % pools.length] as Pool, model, key, direct);
        ms.push(result.ms);
        if (!result.ok) errors++;
      }
    }),
  );
  return { perSecond: total / ((performance.now() - started) / 1000), errors, ms };
}

async function sequential(pool: Pool, model: string, key: string | undefined, count: number, direct = false): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < count; i++) ms.push((await one(pool, model, key, direct)).ms);
  return ms;
}

function gatewayConfig(work: string, name: string, simUrl: string, storage: unknown, state: unknown): string {
  const file = path.join(work, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      server: { port: 0, logLevel: "error" },
      models: [
        {
          id: "small",
          provider: "openai-compatible",
          model: "sim-small",
          baseUrl: `${simUrl}/v1`,
          apiKey: "sk-bench",
          price: { input: 0.1, output: 0.2 },
          maxConnections: 256,
        },
      ],
      routers: [{ id: "rightsize/bench", kind: "fixed", targets: ["small"] }],
      storage,
      state,
    }),
  );
  return file;
}

export async function benchGateways(options: GatewayBenchOptions): Promise<GatewayBenchResult> {
  const services: Service[] = [];
  const pools: Pool[] = [];
  const tsx = (script: string, ...args: string[]): [string, string[]] => [
    process.execPath,
    ["--import", "tsx", path.join(options.root, script), ...args],
  ];
  const pool = (url: string) => {
    const created = new Pool(url, { connections: 64, pipelining: 1 });
    pools.push(created);
    return created;
  };
  const schema = `rs_bench_gw_${process.pid}`;
  const prefix = `rs-bench-gw:${process.pid}:`;
  try {
    const sim = await spawnService(...tsx("bench/support/load-simulator.ts", "--fault-rate", "0"), /(http:\/\/[\d.:]+)/);
    services.push(sim);
    const simPool = pool(sim.url);
    await throughput([simPool], "sim-small", "sk-bench", 500, 16, true);
    const directRun = await throughput([simPool], "sim-small", "sk-bench", options.requests, options.connections, true);
    const directSeq = await sequential(simPool, "sim-small", "sk-bench", options.latencyRequests, true);
    const directP50 = percentile(directSeq, 50);

    const keys = await PostgresKeyStore.open({ url: options.postgresUrl, schema });
    const unlimited = await keys.create({ owner: "bench-unlimited" });
    const limited = await keys.create({
      owner: "bench-limited",
      rpm: 1_000_000_000,
      tpm: 1_000_000_000,
      budget: { usd: 1_000_000, period: "day" },
    });
    await keys.close();

    const sqliteConfig = gatewayConfig(
      options.work,
      "gw-sqlite",
      sim.url,
      { path: path.join(options.work, "gw.db") },
      { kind: "in-process" },
    );
    const sharedConfig = gatewayConfig(
      options.work,
      "gw-shared",
      sim.url,
      { kind: "postgres", url: options.postgresUrl, postgres: { schema, spoolDir: path.join(options.work, "gw-spool") } },
      { kind: "redis", url: options.redisUrl, prefix },
    );
    const start = async (config: string) => {
      const service = await spawnService(...tsx("bench/support/serve-gateway.ts", config), /gateway on (http:\/\/[\d.:]+)/);
      services.push(service);
      return service;
    };
    const rows: GatewayRow[] = [];
    const measure = async (setup: string, urls: string[], key: string | undefined) => {
      const gatewayPools = urls.map(pool);
      await throughput(gatewayPools, "rightsize/bench", key, 500, 16);
      const run = await throughput(gatewayPools, "rightsize/bench", key, options.requests, options.connections);
      const seq = await sequential(gatewayPools[0] as Pool, "rightsize/bench", key, options.latencyRequests);
      rows.push({
        setup,
        gateways: urls.length,
        requestsPerSecond: run.perSecond,
        p50: percentile(run.ms, 50),
        p99: percentile(run.ms, 99),
        addedP50: percentile(seq, 50) - directP50,
        errors: run.errors,
      });
      return gatewayPools;
    };

    const sqliteGateway = await start(sqliteConfig);
    await measure("1 gateway, SQLite, in-process state", [sqliteGateway.url], undefined);
    await sqliteGateway.stop();

    const shared = [await start(sharedConfig)];
    const [firstPool] = await measure("1 gateway, PostgreSQL + Redis", [shared[0]?.url as string], unlimited.secret);

    // The limit check on the same gateway: requests alternate between a key without limits and one with
    // rpm, tpm and a daily budget (checked and reserved in Redis, settled after the answer).
    const without: number[] = [];
    const withLimits: number[] = [];
    for (let i = 0; i < 2 * options.latencyRequests; i++) {
      const limitedTurn = i % 2 === 1;
      const result = await one(firstPool as Pool, "rightsize/bench", limitedTurn ? limited.secret : unlimited.secret, false);
      (limitedTurn ? withLimits : without).push(result.ms);
    }

    shared.push(await start(sharedConfig), await start(sharedConfig));
    await measure(
      "3 gateways, PostgreSQL + Redis",
      shared.map((s) => s.url),
      unlimited.secret,
    );
    const limits = {
      withoutP50: percentile(without, 50),
      withP50: percentile(withLimits, 50),
      addedP50: percentile(withLimits, 50) - percentile(without, 50),
      samples: without.length,
    };
    return { direct: { requestsPerSecond: directRun.perSecond, p50: directP50 }, rows, limits };
  } finally {
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
    await Promise.all(services.map((s) => s.stop()));
    const client = new pg.Client({ connectionString: options.postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    const { Redis } = await import("ioredis");
    const redis = new Redis(options.redisUrl);
    const leftover = await redis.keys(`${prefix}*`);
    if (leftover.length) await redis.del(...leftover);
    redis.disconnect();
  }
}
