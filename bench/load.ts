/**
 * Load and soak through the real gateway on loopback (`npm run bench:load`). The upstream
 * simulator and the gateway run as child processes (from source); 20% of upstream calls get a
 * fault from the fault-injection suite's scenarios. Phases:
 *  1. latency: 1,000 requests one at a time straight to the simulator (faults off) and 1,000
 *     through the gateway; "added" compares the gateway's requests that needed one attempt;
 *  2. load: 2,000 requests straight to the simulator, then 10,000 through the gateway, at 200
 *     connections, half streaming;
 *  3. soak: steady load (50 connections) for --soak-seconds (default 300), gateway RSS sampled.
 * Rescued = completed although the request log shows more than one attempt (retry, fallback,
 * mid-stream continuation).
 * Pass: every request ends complete or with a clean error (lost = 0, truncated = 0), the
 * request log (SQLite) has exactly one row per request, and /metrics counted each request once.
 * Options: --requests N (default 10000) --connections N (200) --soak-seconds N (300)
 * --soak-connections N (50) --fault-rate R (0.2).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { formatTable, percentile } from "./support/latency-stats.js";
import { loadRequest, type LoadResult } from "./support/load-request.js";
import { spawnService, type Service } from "./support/spawn-service.js";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "10000" },
    connections: { type: "string", default: "200" },
    "soak-seconds": { type: "string", default: "300" },
    "soak-connections": { type: "string", default: "50" },
    "fault-rate": { type: "string", default: "0.2" },
  },
});
const root = path.resolve(import.meta.dirname, "..");
const work = mkdtempSync(path.join(tmpdir(), "rightsize-load-"));
const dbFile = path.join(work, "requests.db");
const tsx = (script: string, ...args: string[]): [string, string[]] => [
  process.execPath,
  ["--import", "tsx", path.join(root, script), ...args],
];

function gatewayConfig(simUrl: string): string {
  const file = path.join(work, "rightsize.json");
  const model = (id: string, upstream: string, price: [number, number], extra: Record<string, unknown>) => ({
    id,
    provider: "openai-compatible",
    model: upstream,
    baseUrl: `${simUrl}/v1`,
    apiKey: "sk-load",
    price: { input: price[0], output: price[1] },
    maxConnections: 512,
    ...extra,
  });
  writeFileSync(
    file,
    JSON.stringify({
      server: { port: 0, logLevel: "error", timeouts: { requestMs: 10_000, attemptMs: 1_500, firstTokenMs: 400, idleStreamMs: 400 } },
      models: [
        model("small", "sim-small", [0.1, 0.2], { contextWindow: 8_000, tier: "small" }),
        model("large", "sim-large", [5, 15], { contextWindow: 128_000, assistantPrefill: true }),
        model("medium", "sim-medium", [1, 2], { contextWindow: 32_000 }),
      ],
      routers: [{ id: "rightsize/load", kind: "fixed", targets: ["small"], fallbacks: ["large", "medium"] }],
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 500 },
      breaker: { failureThreshold: 8, cooldownMs: 2_000 },
      storage: { path: dbFile, logContent: true },
    }),
  );
  return file;
}

/** Runs `total` requests (or until `untilMs`) over `connections`; every other one streams. */
async function drive(
  pool: Pool,
  prefix: string,
  connections: number,
  total: number,
  untilMs = Number.POSITIVE_INFINITY,
  direct = false,
): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total && performance.now() < untilMs) {
      const i = next++;
      results.push(await loadRequest(pool, `${prefix}-${i}`, i % 2 === 1, direct));
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return results;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function summarize(name: string, results: LoadResult[]): (string | number)[] {
  const count = (o: LoadResult["outcome"]) => results.filter((r) => r.outcome === o).length;
  const ms = results.map((r) => r.ms);
  return [
    name,
    results.length,
    count("completed"),
    results.filter((r) => r.outcome === "completed" && r.attempts > 1).length,
    count("clean-error"),
    count("lost"),
    count("truncated"),
    percentile(ms, 50).toFixed(1),
    percentile(ms, 99).toFixed(1),
  ];
}

async function main(): Promise<number> {
  const services: Service[] = [];
  try {
    const sim = await spawnService(...tsx("bench/support/load-simulator.ts", "--fault-rate", values["fault-rate"]), /(http:\/\/[\d.:]+)/);
    services.push(sim);
    const gateway = await spawnService(...tsx("bench/support/serve-gateway.ts", gatewayConfig(sim.url)), /gateway on (http:\/\/[\d.:]+)/);
    services.push(gateway);
    const gatewayPid = gateway.child.pid ?? 0;
    const connections = Number(values.connections);
    const timeouts = { headersTimeout: 30_000, bodyTimeout: 30_000 };

    const simPool = new Pool(sim.url, { connections, ...timeouts });
    await drive(simPool, "direct-warmup", 50, 500, undefined, true);
    const directOne = await drive(simPool, "direct-one", 1, 1_000, undefined, true);
    const baseline = await drive(simPool, "direct", connections, 2_000, undefined, true);
    await simPool.close();

    const pool = new Pool(gateway.url, { connections, ...timeouts });
    await drive(pool, "warmup", 50, 500);
    const gatewayOne = await drive(pool, "one", 1, 1_000);
    const started = performance.now();
    const load = await drive(pool, "load", connections, Number(values.requests));
    const loadSeconds = (performance.now() - started) / 1000;
    await pool.close();

    const soakSeconds = Number(values["soak-seconds"]);
    const soakPool = new Pool(gateway.url, { connections: Number(values["soak-connections"]), ...timeouts });
    const rss: { s: number; mb: number }[] = [{ s: 0, mb: rssMb(gatewayPid) }];
    const soakStart = performance.now();
    const sampler = setInterval(() => rss.push({ s: (performance.now() - soakStart) / 1000, mb: rssMb(gatewayPid) }), 5_000);
    const soak = await drive(soakPool, "soak", Number(values["soak-connections"]), Number.MAX_SAFE_INTEGER, soakStart + soakSeconds * 1000);
    clearInterval(sampler);
    rss.push({ s: soakSeconds, mb: rssMb(gatewayPid) });
    await soakPool.close();

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const counted = [...metrics.matchAll(/^rightsize_requests_total\{[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
    await gateway.stop();
    services.pop();

    const { default: Database } = await import("better-sqlite3");
    const db = new Database(dbFile, { readonly: true });
    const attemptsOf = new Map(
      (
        db
          .prepare("SELECT r.id AS id, count(a.idx) AS n FROM requests r LEFT JOIN attempts a ON a.request_seq = r.seq GROUP BY r.seq")
          .all() as { id: string; n: number }[]
      ).map((r) => [r.id, r.n]),
    );
    const ids = new Set(attemptsOf.keys());
    const rows = (db.prepare("SELECT count(*) AS n FROM requests").get() as { n: number }).n;
    db.close();
    let expected = 0;
    let missing = 0;
    for (const r of [...gatewayOne, ...load, ...soak]) r.attempts = attemptsOf.get(r.id) ?? r.attempts;
    for (const [prefix, n] of [
      ["warmup", 500],
      ["one", gatewayOne.length],
      ["load", load.length],
      ["soak", soak.length],
    ] as [string, number][]) {
      expected += n;
      for (let i = 0; i < n; i++) if (!ids.has(`${prefix}-${i}`)) missing++;
    }

    const header = ["phase", "requests", "completed", "rescued", "clean errors", "lost", "truncated", "p50 ms", "p99 ms"];
    console.log(
      `\nrightsize load: ${values.requests} requests at ${connections} connections, half streaming, fault rate ${values["fault-rate"]} per upstream call (shared 2-core machine: timings are noisy)\n`,
    );
    console.log(
      formatTable(header, [
        summarize("direct (simulator, no faults)", baseline),
        summarize("gateway, 1 connection", gatewayOne),
        summarize(`gateway load, ${connections} connections`, load),
        summarize(`gateway soak ${soakSeconds}s`, soak),
      ]),
    );
    const ms = (rs: LoadResult[], pick: (r: LoadResult) => boolean = () => true) => rs.filter(pick).map((r) => r.ms);
    const cleanOf = (r: LoadResult) => r.outcome === "completed" && r.attempts === 1;
    const rescuedOf = (r: LoadResult) => r.outcome === "completed" && r.attempts > 1;
    const row = (name: string, direct: number[], through: number[]) => [
      name,
      percentile(direct, 50).toFixed(2),
      percentile(through, 50).toFixed(2),
      (percentile(through, 50) - percentile(direct, 50)).toFixed(2),
      percentile(direct, 99).toFixed(2),
      percentile(through, 99).toFixed(2),
      (percentile(through, 99) - percentile(direct, 99)).toFixed(2),
    ];
    console.log("\nlatency added (gateway requests served by their first attempt vs the simulator direct, ms):");
    console.log(
      formatTable(
        ["", "direct p50", "gateway p50", "added p50", "direct p99", "gateway p99", "added p99"],
        [
          row("1 connection", ms(directOne), ms(gatewayOne, cleanOf)),
          row(`${connections} connections`, ms(baseline), ms(load, cleanOf)),
          row(`${connections} conn., rescued`, ms(baseline), ms(load, rescuedOf)),
        ],
      ),
    );
    console.log(`\nthroughput under load: ${(load.length / loadSeconds).toFixed(0)} requests/s over ${loadSeconds.toFixed(1)} s`);
    const first = rss.find((r) => r.s >= Math.min(30, soakSeconds / 5)) ?? rss[0]!;
    const last = rss[rss.length - 1]!;
    const peak = Math.max(...rss.map((r) => r.mb));
    console.log(
      `soak: ${soak.length} requests in ${soakSeconds} s; gateway RSS ${rss[0]!.mb.toFixed(1)} MB at start, ${first.mb.toFixed(1)} MB at ${first.s.toFixed(0)} s, ${last.mb.toFixed(1)} MB at end (growth after warm-up ${(last.mb - first.mb).toFixed(1)} MB, ${(((last.mb - first.mb) / first.mb) * 100).toFixed(1)}%), peak ${peak.toFixed(1)} MB`,
    );
    console.log(
      `request log: ${rows} rows for ${expected} requests, ${missing} missing, ${ids.size} distinct ids; /metrics counted ${counted}`,
    );
    const lost = [...gatewayOne, ...load, ...soak].filter((r) => r.outcome === "lost" || r.outcome === "truncated");
    for (const r of lost.slice(0, 10)) console.log(`  ${r.outcome}: ${r.detail ?? ""}`);
    const pass = lost.length === 0 && rows === expected && missing === 0 && counted === expected;
    console.log(`\n${pass ? "PASS" : "FAIL"}: lost ${lost.length}, log rows ${rows}/${expected}, counted ${counted}/${expected}`);
    return pass ? 0 : 1;
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
