/**
 * Shadow evaluation's cost to served requests (issue 12 §5), in one run against one upstream
 * simulator: the same gateway config with shadow off and with shadow on at 10% sampling (a
 * shadow answer and two pairwise judge calls per sampled request, all on the simulator).
 * Sequential latency on one keep-alive connection each, the simulator and the two gateways
 * taking turns request by request so the machine's load falls on all alike; target: shadow-on
 * added p50 within 0.05 ms of shadow-off. Then overload: 64 connections back to back against shadow off and shadow on at
 * 100% sampling with a short queue; the served latency of both and the shadow jobs shed.
 *
 * `npm run bench:overhead` runs it after the main table (the built gateway: it builds first);
 * alone: `npm run build && npx tsx bench/overhead-shadow.ts [--requests N] [--seconds N]`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { formatTable, percentile } from "./support/latency-stats.js";
import { spawnService, type Service, spawnSimulator } from "./support/spawn-service.js";

export interface ShadowOverheadOptions {
  /** Sequential requests per gateway in the latency runs (default 4000). */
  requests?: number;
  /** Seconds of each overload run (default 5). */
  seconds?: number;
}

const root = path.resolve(import.meta.dirname, "..");
const payload = JSON.stringify({
  model: "rightsize/auto",
  messages: [{ role: "user", content: "Say hello in one short sentence." }],
  max_tokens: 32,
});
const headers = { "content-type": "application/json", authorization: "Bearer sk-bench" };

function gatewayConfig(simUrl: string, dbFile: string, shadow: Record<string, unknown> | undefined): string {
  const model = (id: string, price: number, tier: string) => ({
    id,
    provider: "openai-compatible",
    model: `sim-${id}`,
    baseUrl: `${simUrl}/v1`,
    apiKey: "sk-bench-upstream",
    price: { input: price, output: 2 * price },
    tier,
  });
  return JSON.stringify({
    server: { port: 0, logLevel: "warn" },
    models: [model("small", 0.1, "small"), model("large", 5, "large"), model("judge", 1, "large")],
    routers: [{ id: "rightsize/auto", kind: "rules", targets: ["small", "large"], settings: { default: "large", rules: [] } }],
    storage: { path: dbFile, logContent: true },
    ...(shadow ? { shadow } : {}),
  });
}

async function startGateway(work: string, name: string, simUrl: string, shadow?: Record<string, unknown>): Promise<Service> {
  const configFile = path.join(work, `${name}.json`);
  writeFileSync(configFile, gatewayConfig(simUrl, path.join(work, `${name}.db`), shadow));
  return spawnService(
    process.execPath,
    [path.join(root, "bin/rightsize.js"), "serve", "--config", configFile],
    /gateway on (http:\/\/[\d.:]+)/,
  );
}

const shadowAt = (sample: number, extra: Record<string, unknown> = {}) => ({
  routers: { "rightsize/auto": { sample } },
  directions: ["down"],
  judge: { model: "judge", mode: "pairwise" },
  budgetUsdPerDay: 1000,
  ...extra,
});

async function timed(pool: Pool): Promise<number> {
  const started = performance.now();
  const response = await pool.request({ method: "POST", path: "/v1/chat/completions", headers, body: payload });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`answered ${response.statusCode}: ${text.slice(0, 200)}`);
  return performance.now() - started;
}

/**
 * Sequential latency per target on one connection each, the targets taking turns request by
 * request (after 200 warm-up requests each), so the machine's load at any moment falls on all
 * of them alike: on a shared machine that is what makes a 0.05 ms difference measurable.
 */
async function latencyRuns(urls: Record<string, string>, count: number): Promise<Map<string, number[]>> {
  const lanes = Object.entries(urls).map(([name, url]) => ({
    name,
    pool: new Pool(url, { connections: 1, pipelining: 1 }),
    times: [] as number[],
  }));
  for (const lane of lanes) for (let i = 0; i < 200; i++) await timed(lane.pool);
  for (let i = 0; i < count; i++) {
    // Alternate who goes first, so neither always follows the other's background work.
    const order = i % 2 === 0 ? lanes : [...lanes].reverse();
    for (const lane of order) lane.times.push(await timed(lane.pool));
  }
  await Promise.all(lanes.map((lane) => lane.pool.close()));
  return new Map(lanes.map((lane) => [lane.name, lane.times]));
}

/** 64 connections back to back for `seconds`: latency of every served request and the request rate. */
async function overloadRun(url: string, seconds: number): Promise<{ times: number[]; rps: number; errors: number }> {
  const pool = new Pool(url, { connections: 64, pipelining: 1 });
  const times: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        times.push(await timed(pool));
      } catch {
        errors += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 64 }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { times, rps: times.length / elapsed, errors };
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n"))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(" ").at(-1));
  return sum;
}

/** Runs the shadow rows and returns them as a printed table. */
export async function shadowOverheadTable(options: ShadowOverheadOptions = {}): Promise<string> {
  const requests = options.requests ?? 4000;
  const seconds = options.seconds ?? 5;
  const work = mkdtempSync(path.join(tmpdir(), "rightsize-bench-shadow-"));
  const services: Service[] = [];
  try {
    const sim = await spawnSimulator(root);
    services.push(sim);
    const off = await startGateway(work, "shadow-off", sim.url);
    services.push(off);
    const on = await startGateway(work, "shadow-on", sim.url, shadowAt(0.1));
    services.push(on);
    process.stderr.write(`shadow: sequential latency, shadow off / on (10%), ${requests} requests each, taking turns …\n`);
    const latencies = await latencyRuns({ direct: sim.url, off: off.url, on: on.url }, requests);
    const p = (name: string, q: number) => percentile(latencies.get(name) ?? [], q);
    const direct = p("direct", 50);
    const direct99 = p("direct", 99);
    const addedOff = p("off", 50) - direct;
    const addedOn = p("on", 50) - direct;
    const judged = await metric(on.url, "rightsize_shadow_jobs_total");
    const rows: (string | number)[][] = [
      ["direct (simulator)", direct.toFixed(3), direct99.toFixed(3), "-", "-", "-", "-"],
      [
        "rightsize shadow off",
        p("off", 50).toFixed(3),
        p("off", 99).toFixed(3),
        addedOff.toFixed(3),
        (p("off", 99) - direct99).toFixed(3),
        "-",
        "-",
      ],
      [
        "rightsize shadow on (10%)",
        p("on", 50).toFixed(3),
        p("on", 99).toFixed(3),
        addedOn.toFixed(3),
        (p("on", 99) - direct99).toFixed(3),
        String(judged),
        "-",
      ],
      [
        "shadow on − off, added p50",
        "",
        "",
        `${(addedOn - addedOff).toFixed(3)} ms`,
        "",
        "",
        `${Math.abs(addedOn - addedOff) <= 0.05 ? "PASS" : "FAIL"} ≤0.05ms`,
      ],
    ];
    await Promise.all([off.stop(), on.stop()]);
    // Overload: 64 connections; shadow samples every request into a queue of 16, one job at a time.
    const overloadOff = await startGateway(work, "overload-off", sim.url);
    services.push(overloadOff);
    const overloadOn = await startGateway(work, "overload-on", sim.url, shadowAt(1, { queueSize: 16, concurrency: 1, busyInFlight: 32 }));
    services.push(overloadOn);
    // The two take turns in one-second slices (after a warm-up second each), so the machine's load falls on both alike.
    const lanes = [
      { name: "shadow off", service: overloadOff, times: [] as number[], served: 0, seconds: 0, errors: 0 },
      { name: "shadow on (100%, queue 16)", service: overloadOn, times: [] as number[], served: 0, seconds: 0, errors: 0 },
    ];
    process.stderr.write(`shadow: overload, shadow off / on, 64 connections, ${seconds}s each in 1s turns …\n`);
    for (const lane of lanes) await overloadRun(lane.service.url, 1);
    for (let slice = 0; slice < seconds; slice++) {
      for (const lane of slice % 2 === 0 ? lanes : [...lanes].reverse()) {
        const run = await overloadRun(lane.service.url, 1);
        lane.times.push(...run.times);
        lane.served += run.times.length;
        lane.seconds += run.times.length / run.rps;
        lane.errors += run.errors;
      }
    }
    for (const lane of lanes) {
      const shadowOn = lane.service === overloadOn;
      const shed = shadowOn ? await metric(lane.service.url, "rightsize_shadow_shed_total") : 0;
      const jobs = shadowOn ? await metric(lane.service.url, "rightsize_shadow_jobs_total") : 0;
      const rps = Math.round(lane.served / lane.seconds);
      rows.push([
        `overload @64 ${lane.name}`,
        percentile(lane.times, 50).toFixed(3),
        percentile(lane.times, 99).toFixed(3),
        "",
        "",
        shadowOn ? `${jobs - shed} run` : "-",
        shadowOn ? `${shed} shed, ${rps} req/s` : `${rps} req/s`,
      ]);
      if (lane.errors > 0) process.stderr.write(`  ${lane.name}: ${lane.errors} errors\n`);
    }
    const [offLane, onLane] = lanes as [(typeof lanes)[0], (typeof lanes)[0]];
    rows.push([
      "overload shadow on / off, p50",
      `${(percentile(onLane.times, 50) / percentile(offLane.times, 50)).toFixed(2)}x`,
      `${(percentile(onLane.times, 99) / percentile(offLane.times, 99)).toFixed(2)}x`,
      "",
      "",
      "",
      `${(onLane.served / onLane.seconds / (offLane.served / offLane.seconds)).toFixed(2)}x req/s`,
    ]);
    return (
      `\nShadow evaluation overhead (served requests; ${requests} sequential per gateway, the gateways taking turns request by request; ms)\n\n` +
      `${formatTable(["target", "p50", "p99", "added p50", "added p99", "shadow jobs", "target / overload"], rows)}\n`
    );
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { requests: { type: "string" }, seconds: { type: "string" } } });
  const options: ShadowOverheadOptions = {};
  if (values.requests) options.requests = Number(values.requests);
  if (values.seconds) options.seconds = Number(values.seconds);
  process.stdout.write(await shadowOverheadTable(options));
}
