/**
 * Scale-out foundations (issue 14), `npm run bench:scale`:
 *  1. sustained request-log writes into PostgreSQL (the store's batched inserts from its queue),
 *     with the SQLite store (worker thread) measured in the same run as the reference, and, to
 *     show what the schema's choice costs, PostgreSQL with a declared foreign key on attempts;
 *  2. the round trip of a rate-limit + budget check (requests and tokens per minute, a daily
 *     budget: one reserve, then its settle) through Redis against the same check in-process.
 * Needs the machine's PostgreSQL and Redis (RIGHTSIZE_TEST_POSTGRES_URL / RIGHTSIZE_TEST_REDIS_URL
 *  3. the gateway rows: throughput and added latency of 1 gateway with SQLite, 1 with PostgreSQL +
 *     Redis and 3 with PostgreSQL + Redis (child processes, the upstream simulator with faults
 *     off), and the latency a rate-limit + budget check through Redis adds on the same gateway.
 * Needs the machine's PostgreSQL and Redis (RIGHTSIZE_TEST_POSTGRES_URL / RIGHTSIZE_TEST_REDIS_URL
 * override them). Options: --rows N (default 100000 requests, each with 2 attempts),
 * --checks N (default 20000), --gateway-requests N (default 4000) at --connections N (32),
 * --latency-requests N (1000 sequential), --only stores|gateways. Targets: ≥ 10,000 request
 * rows/s into PostgreSQL on 2 cores; ≤ 0.15 ms p50 added by the limit check through Redis.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { PostgresRequestLogStore } from "../src/storage/postgres/postgres-request-log-store.js";
import type { RequestLogStore } from "../src/storage/request-log-store.js";
import { SqliteRequestLogStore } from "../src/storage/sqlite/sqlite-request-log-store.js";
import { InProcessSharedState } from "../src/state/in-process/in-process-shared-state.js";
import { RedisSharedState } from "../src/state/redis/redis-shared-state.js";
import type { SharedState } from "../src/state/shared-state.js";
import { formatTable, percentile } from "./support/latency-stats.js";
import { benchGateways } from "./support/scale-gateways.js";
import { scaleRecord } from "./support/scale-records.js";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    checks: { type: "string", default: "20000" },
    "gateway-requests": { type: "string", default: "4000" },
    connections: { type: "string", default: "32" },
    "latency-requests": { type: "string", default: "1000" },
    only: { type: "string" },
  },
});
const rows = Number(values.rows);
const checks = Number(values.checks);
const postgresUrl = process.env.RIGHTSIZE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.RIGHTSIZE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const work = mkdtempSync(path.join(tmpdir(), "rightsize-scale-"));
const run = `bench-${process.pid}`;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(text);
  await client.end();
}

interface WriteResult {
  perSecond: number;
  /** CPU of this process (for SQLite: its writer thread included) per 1,000 requests. */
  cpuMsPer1k: number;
  /** CPU of the PostgreSQL server processes that wrote them, per 1,000 requests (NaN: not measurable). */
  serverCpuMsPer1k: number;
  stored: number;
}

const CLOCK_TICK_MS = 10; // Linux USER_HZ = 100

/** CPU time (ms) of the PostgreSQL backends connected as `application`, read from /proc (the server runs on this machine). */
async function backendCpuMs(application: string): Promise<number> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  const { rows: backends } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [
    application,
  ]);
  await client.end();
  let ticks = 0;
  for (const { pid } of backends) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return Number.NaN;
    }
  }
  return backends.length ? ticks * CLOCK_TICK_MS : Number.NaN;
}

/**
 * Appends `rows` records as fast as the store takes them without letting its queue grow past
 * 10,000 (a gateway producing faster than the store writes would be measuring the spool), and
 * times until the last one is durable.
 */
async function sustainedWrites(
  store: RequestLogStore,
  backlog: () => number,
  label: string,
  serverCpu: () => Promise<number> = async () => Number.NaN,
): Promise<WriteResult> {
  const warm = Math.min(5_000, rows / 10);
  for (let i = 0; i < warm; i++) store.append(scaleRecord(i, `${run}-${label}-warm`));
  await store.flush();
  const serverBefore = await serverCpu();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < rows; ) {
    for (const end = Math.min(rows, i + 500); i < end; i++) store.append(scaleRecord(i, `${run}-${label}`));
    while (backlog() > 10_000) await new Promise((resolve) => setTimeout(resolve, 1));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await store.flush();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const serverMs = (await serverCpu()) - serverBefore;
  const stored = await store.count();
  return {
    perSecond: rows / seconds,
    cpuMsPer1k: (used.user + used.system) / 1000 / (rows / 1000),
    serverCpuMsPer1k: serverMs / (rows / 1000),
    stored: stored - warm,
  };
}

async function postgresWrites(schema: string, foreignKey: boolean): Promise<WriteResult> {
  const application = `rs-bench-${schema}`.slice(0, 60);
  const url = `${postgresUrl}${postgresUrl.includes("?") ? "&" : "?"}application_name=${application}`;
  const store = await PostgresRequestLogStore.open({ url, schema, spoolDir: path.join(work, `spool-${schema}`) });
  if (foreignKey) {
    await sql(
      `ALTER TABLE "${schema}".requests ADD UNIQUE (seq);
       ALTER TABLE "${schema}".attempts ADD FOREIGN KEY (request_seq) REFERENCES "${schema}".requests (seq) ON DELETE CASCADE`,
    );
  }
  try {
    const result = await sustainedWrites(
      store,
      () => store.status().queued,
      schema,
      () => backendCpuMs(application),
    );
    const status = store.status();
    if (status.spoolRecords > 0 || status.dropped > 0) throw new Error(`rows went to the spool or were lost: ${JSON.stringify(status)}`);
    return result;
  } finally {
    await store.close();
    await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function sqliteWrites(): Promise<WriteResult> {
  const store = await SqliteRequestLogStore.open(path.join(work, "log.db"));
  try {
    return await sustainedWrites(store, () => store.backlog, "sqlite");
  } finally {
    await store.close();
  }
}

interface CheckResult {
  reserve: number[];
  roundTrip: number[];
  closedBreaker: number[];
}

/** One request's check: requests and tokens per minute and a daily budget for one key, reserved, then settled. */
async function checkLatency(state: SharedState): Promise<CheckResult> {
  const request = (i: number) => ({
    subject: `key-${i % 64}`,
    rateLimits: [
      { name: "requests", limit: 1e12, windowMs: 60_000, cost: 1 },
      { name: "tokens", limit: 1e15, windowMs: 60_000, cost: 900 },
    ],
    budgets: [{ name: "daily", limitUsd: 1e6, period: "day" as const, estimateUsd: 0.002 }],
  });
  const result: CheckResult = { reserve: [], roundTrip: [], closedBreaker: [] };
  const warmup = Math.min(2_000, checks / 5);
  for (let i = 0; i < warmup + checks; i++) {
    const t0 = performance.now();
    const decision = await state.quotas.reserve(request(i));
    const t1 = performance.now();
    if (!decision.allowed || !decision.reservation) throw new Error(`check refused: ${JSON.stringify(decision.rejection)}`);
    await state.quotas.settle(decision.reservation, { costs: { tokens: 700 }, costUsd: 0.0015 });
    const t2 = performance.now();
    const permit = await state.breakers.acquire("small");
    const t3 = performance.now();
    if (permit.allowed) await state.breakers.onSuccess("small", permit);
    if (i < warmup) continue;
    result.reserve.push(t1 - t0);
    result.roundTrip.push(t2 - t0);
    result.closedBreaker.push(t3 - t2);
  }
  return result;
}

const ms = (values: number[], p: number) => `${percentile(values, p).toFixed(3)} ms`;

console.log(
  `rightsize bench:scale — ${rows.toLocaleString("en-US")} requests (2 attempts each) per store, ${checks.toLocaleString("en-US")} checks per state`,
);
console.log("(timing on a shared 2-core machine: other work running at the same time makes the figures noisy)\n");

if (values.only !== "gateways") await benchStores();
if (values.only !== "stores") await benchGatewayRows();
rmSync(work, { recursive: true, force: true });

async function benchStores(): Promise<void> {
  const sqlite = await sqliteWrites();
  const postgres = await postgresWrites(`rs_bench_${process.pid}`, false);
  const postgresFk = await postgresWrites(`rs_bench_fk_${process.pid}`, true);
  for (const [name, r] of [
    ["SQLite", sqlite],
    ["PostgreSQL", postgres],
    ["PostgreSQL + FK", postgresFk],
  ] as const) {
    if (r.stored !== rows) throw new Error(`${name}: ${r.stored} of ${rows} rows stored`);
  }
  const cpu = (ms: number) => (Number.isNaN(ms) ? "n/a" : `${fmt(ms, 1)} ms`);
  /** What 2 cores could write if they did nothing else: the CPU-bound ceiling of the measured costs. */
  const ceiling = (r: WriteResult) =>
    Number.isNaN(r.serverCpuMsPer1k) ? "n/a" : fmt((2 * 1_000_000) / (r.cpuMsPer1k + r.serverCpuMsPer1k));
  console.log("Request log, sustained writes (every row durable at the end; none spooled or lost)");
  console.log(
    formatTable(
      [
        "store",
        "requests/s",
        "rows/s (with attempts)",
        "vs SQLite",
        "rightsize CPU / 1k req",
        "PostgreSQL CPU / 1k req",
        "2-core CPU ceiling req/s",
      ],
      (
        [
          ["SQLite (worker thread, WAL)", sqlite],
          ["PostgreSQL (batched JSON insert)", postgres],
          ["PostgreSQL, attempts with a declared FK (+ unique seq)", postgresFk],
        ] as const
      ).map(([name, r]) => [
        name,
        fmt(r.perSecond),
        fmt(r.perSecond * 3),
        `${(r.perSecond / sqlite.perSecond).toFixed(2)}×`,
        cpu(r.cpuMsPer1k),
        cpu(r.serverCpuMsPer1k),
        ceiling(r),
      ]),
    ),
  );
  console.log("(SQLite's rightsize CPU includes its writer thread, i.e. all of SQLite's work; PostgreSQL's is the encoding only)");
  console.log(
    `Target ≥ 10,000 request rows/s into PostgreSQL: ${postgres.perSecond >= 10_000 ? "met" : "NOT met"} (${fmt(postgres.perSecond)}/s); ` +
      `the foreign key would cost ${fmt((1 - postgresFk.perSecond / postgres.perSecond) * 100)}% of it.\n`,
  );

  const prefix = `rs-bench:${process.pid}:`;
  const local = await checkLatency(new InProcessSharedState({ failureThreshold: 5, cooldownMs: 30_000 }));
  const redisState = await RedisSharedState.open({
    url: redisUrl,
    prefix,
    commandTimeoutMs: 1_000,
    reconnectMinMs: 100,
    reconnectMaxMs: 2_000,
    breaker: { failureThreshold: 5, cooldownMs: 30_000 },
  });
  if (redisState.status().state !== "connected") throw new Error(`Redis at ${redisUrl} is not reachable`);
  const redis = await checkLatency(redisState);
  await redisState.close();
  {
    const { Redis } = await import("ioredis");
    const client = new Redis(redisUrl);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(...keys);
    client.disconnect();
  }
  console.log("Rate-limit + budget check (requests/min, tokens/min, daily USD budget; one call at a time)");
  console.log(
    formatTable(
      ["state", "reserve p50", "reserve p99", "reserve + settle p50", "reserve + settle p99", "closed-breaker check p50"],
      [
        [
          "in-process",
          ms(local.reserve, 50),
          ms(local.reserve, 99),
          ms(local.roundTrip, 50),
          ms(local.roundTrip, 99),
          ms(local.closedBreaker, 50),
        ],
        [
          "Redis (loopback, Lua)",
          ms(redis.reserve, 50),
          ms(redis.reserve, 99),
          ms(redis.roundTrip, 50),
          ms(redis.roundTrip, 99),
          ms(redis.closedBreaker, 50),
        ],
      ],
    ),
  );
  const added = percentile(redis.reserve, 50) - percentile(local.reserve, 50);
  console.log(
    `Redis adds ${added.toFixed(3)} ms p50 to the check a request waits for (the reserve; the settle runs after the answer). ` +
      `Target: ≤ 0.15 ms p50 added per request — the raw check is ${added <= 0.15 ? "within" : "OVER"} it (the gateway rows below measure it through the gateway).`,
  );
}

async function benchGatewayRows(): Promise<void> {
  const requests = Number(values["gateway-requests"]);
  const connections = Number(values.connections);
  const latencyRequests = Number(values["latency-requests"]);
  const result = await benchGateways({
    root: path.resolve(import.meta.dirname, ".."),
    work,
    postgresUrl,
    redisUrl,
    requests,
    connections,
    latencyRequests,
  });
  const base = result.rows[0];
  console.log(
    `\nGateways (${fmt(requests)} chat requests at ${connections} connections per row; latency: ${fmt(latencyRequests)} sequential requests; upstream simulator, faults off)`,
  );
  console.log(
    formatTable(
      ["setup", "requests/s", "vs 1 gateway SQLite", "p50 under load", "p99 under load", "added p50 (sequential, vs simulator)", "errors"],
      [
        [
          "upstream simulator direct (reference)",
          fmt(result.direct.requestsPerSecond),
          "",
          "",
          "",
          `${result.direct.p50.toFixed(3)} ms (its own)`,
          "0",
        ],
        ...result.rows.map((row) => [
          row.setup,
          fmt(row.requestsPerSecond),
          base ? `${(row.requestsPerSecond / base.requestsPerSecond).toFixed(2)}×` : "",
          `${row.p50.toFixed(2)} ms`,
          `${row.p99.toFixed(2)} ms`,
          `${row.addedP50.toFixed(3)} ms`,
          String(row.errors),
        ]),
      ],
    ),
  );
  console.log(
    "(every process — simulator, gateways, PostgreSQL, Redis and this client — shares the same 2 cores: 3 gateways cannot add CPU here)",
  );
  const { limits } = result;
  console.log(
    `Rate-limit + budget check through Redis on the same gateway (${fmt(limits.samples)} requests each, interleaved): ` +
      `without limits p50 ${limits.withoutP50.toFixed(3)} ms, with rpm + tpm + daily budget p50 ${limits.withP50.toFixed(3)} ms, ` +
      `added ${limits.addedP50.toFixed(3)} ms — target ≤ 0.15 ms: ${limits.addedP50 <= 0.15 ? "met" : "NOT met"} (${(limits.addedP50 / 0.15).toFixed(2)}× the target).`,
  );
}
