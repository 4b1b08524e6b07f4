/**
 * Gateway overhead: added latency (p50, p99) at 1 connection and throughput at 64
 * connections, JSON and streaming, for the upstream simulator called directly, through
 * rightsize, and through Portkey's open-source gateway — all against the same simulator in
 * one run. Two floors are measured too, to show what any gateway on this machine pays: a bare
 * node:http + undici pass-through and a Fastify pass-through (neither validates, routes, logs
 * nor counts anything). Every target gets its throughput run first, which also warms it up;
 * then the sequential latency runs. Run with `npm run bench:overhead` (builds first).
 * Options: --seconds N (per throughput run, default 5), --requests N (per latency run, default
 * 2000), --rounds N (latency runs in N interleaved blocks, default 1), --no-shadow (skip the
 * shadow-evaluation rows at the end).
 *
 * Issue 10 §5's target is read against the bare floor: rightsize's added p50 ≤ 1.5× the floor's
 * and its throughput ≥ 50% of the floor's, JSON and stream. The same two ratios are printed
 * against the Fastify floor too (Fastify is the gateway's HTTP layer), so what the framework
 * alone costs is plain to read; the target itself is only judged against the bare floor.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { shadowOverheadTable } from "./overhead-shadow.js";
import { formatTable, percentile } from "./support/latency-stats.js";
import { spawnService, type Service, spawnSimulator } from "./support/spawn-service.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    requests: { type: "string", default: "2000" },
    rounds: { type: "string", default: "1" },
    "no-shadow": { type: "boolean", default: false },
  },
});
const seconds = Number(values.seconds);
const latencyRequests = Number(values.requests);
const latencyRounds = Math.max(1, Number(values.rounds));
const root = path.resolve(import.meta.dirname, "..");
const work = mkdtempSync(path.join(tmpdir(), "rightsize-bench-"));

interface Target {
  name: string;
  url: string;
  model: string;
  headers: Record<string, string>;
}
type Mode = "json" | "stream";

function body(model: string, mode: Mode): string {
  return JSON.stringify({
    model,
    messages: [{ role: "user", content: "Say hello in one short sentence." }],
    max_tokens: 32,
    ...(mode === "stream" ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Sequential requests on one keep-alive connection per target, target after target, each
 * first warmed again with 200 requests. With `rounds` > 1 the targets take turns in that many
 * blocks, spreading drift in the machine's state over all of them; but a gateway left idle
 * for the ~13 s of Portkey's streaming block then serves its next block slower (rightsize's
 * stream p50 measured 0.3–0.5 ms added that way, 0.22–0.26 ms hot), so the default is one
 * round: steady state.
 * Latency of each full response in ms, per target.
 */
async function latencyRuns(targets: readonly Target[], mode: Mode, count: number, rounds: number): Promise<Map<string, number[]>> {
  const lanes = targets.map((target) => ({
    target,
    pool: new Pool(target.url, { connections: 1, pipelining: 1 }),
    payload: body(target.model, mode),
    headers: { "content-type": "application/json", authorization: "Bearer sk-bench", ...target.headers },
    times: [] as number[],
  }));
  const rewarm = 200;
  const perBlock = Math.ceil(count / rounds);
  for (let round = 0; round < rounds; round++) {
    for (const lane of lanes) {
      for (let i = 0; i < perBlock + rewarm; i++) {
        const started = performance.now();
        const response = await lane.pool.request({
          method: "POST",
          path: "/v1/chat/completions",
          headers: lane.headers,
          body: lane.payload,
        });
        const text = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`${lane.target.name} answered ${response.statusCode}: ${text.slice(0, 300)}`);
        if (i >= rewarm) lane.times.push(performance.now() - started);
      }
    }
  }
  await Promise.all(lanes.map((lane) => lane.pool.close()));
  return new Map(lanes.map((lane) => [lane.target.name, lane.times]));
}

/** 64 connections, each running requests back to back for `seconds`; completed requests per second. */
async function throughputRun(target: Target, mode: Mode): Promise<{ rps: number; errors: number }> {
  const connections = 64;
  const pool = new Pool(target.url, { connections, pipelining: 1 });
  const payload = body(target.model, mode);
  const headers = { "content-type": "application/json", authorization: "Bearer sk-bench", ...target.headers };
  let done = 0;
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        const response = await pool.request({ method: "POST", path: "/v1/chat/completions", headers, body: payload });
        await response.body.text();
        if (response.statusCode === 200) done += 1;
        else errors += 1;
      } catch {
        errors += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { rps: done / elapsed, errors };
}

async function main(): Promise<void> {
  const services: Service[] = [];
  try {
    const sim = await spawnSimulator(root);
    services.push(sim);
    const configFile = path.join(work, "rightsize.yaml");
    writeFileSync(
      configFile,
      JSON.stringify({
        server: { port: 0, logLevel: "warn" },
        models: [
          {
            id: "sim",
            provider: "openai-compatible",
            model: "sim",
            baseUrl: `${sim.url}/v1`,
            apiKey: "sk-bench-upstream",
            price: { input: 1, output: 2 },
          },
        ],
        routers: [
          {
            id: "rightsize/auto",
            kind: "rules",
            targets: ["sim"],
            settings: {
              default: "sim",
              rules: [
                { when: { hasCode: true }, target: "sim" },
                { when: { minPromptTokens: 4000 }, target: "sim" },
              ],
            },
          },
        ],
        storage: { path: path.join(work, "requests.db"), logContent: true },
      }),
    );
    const gateway = await spawnService(
      process.execPath,
      [path.join(root, "bin/rightsize.js"), "serve", "--config", configFile],
      /gateway on (http:\/\/[\d.:]+)/,
    );
    services.push(gateway);
    const portkeyPort = await freePort();
    const portkey = await spawnService(
      process.execPath,
      [
        "--import",
        path.join(root, "bench/support/portkey-fetch-shim.mjs"),
        path.join(root, "node_modules/@portkey-ai/gateway/build/start-server.js"),
        `--port=${portkeyPort}`,
        "--headless",
      ],
      /Ready for connections/,
      { env: { NODE_ENV: "production" } },
    );
    services.push(portkey);
    const floor = await spawnService(
      process.execPath,
      [path.join(root, "bench/support/passthrough-proxy.mjs"), sim.url],
      /passthrough on (http:\/\/[\d.:]+)/,
    );
    services.push(floor);
    const fastifyFloor = await spawnService(
      process.execPath,
      [path.join(root, "bench/support/fastify-passthrough.mjs"), sim.url],
      /passthrough on (http:\/\/[\d.:]+)/,
    );
    services.push(fastifyFloor);
    const targets: Target[] = [
      { name: "direct (simulator)", url: sim.url, model: "sim", headers: {} },
      { name: "rightsize", url: gateway.url, model: "rightsize/auto", headers: {} },
      {
        name: "portkey",
        url: `http://localhost:${portkeyPort}`,
        model: "sim",
        headers: { "x-portkey-provider": "openai", "x-portkey-custom-host": `${sim.url}/v1` },
      },
      { name: "floor: bare pass-through proxy", url: floor.url, model: "sim", headers: {} },
      { name: "floor: Fastify pass-through", url: fastifyFloor.url, model: "sim", headers: {} },
    ];
    const rows: (string | number)[][] = [];
    const summary: Record<string, Record<Mode, { p50: number; p99: number; rps: number }>> = {};
    for (const mode of ["json", "stream"] as const) {
      // Throughput runs first: they also warm every target up (JIT, pools) the same way, so
      // the latency runs measure steady state rather than code still being compiled.
      const throughput = new Map<string, number>();
      for (const target of targets) {
        process.stderr.write(`measuring ${target.name} (${mode}) …\n`);
        const { rps, errors } = await throughputRun(target, mode);
        if (errors > 0) process.stderr.write(`  ${target.name}: ${errors} errors during the throughput run\n`);
        throughput.set(target.name, rps);
      }
      process.stderr.write(`measuring latency (${mode}), target after target …\n`);
      const latencies = await latencyRuns(targets, mode, latencyRequests, latencyRounds);
      for (const target of targets) {
        const times = latencies.get(target.name) ?? [];
        (summary[target.name] ??= {} as Record<Mode, { p50: number; p99: number; rps: number }>)[mode] = {
          p50: percentile(times, 50),
          p99: percentile(times, 99),
          rps: throughput.get(target.name) ?? 0,
        };
      }
      const direct = summary["direct (simulator)"]![mode];
      const ours = summary.rightsize![mode];
      const theirs = summary.portkey![mode];
      const added = (s: { p50: number; p99: number }) => ({ p50: s.p50 - direct.p50, p99: s.p99 - direct.p99 });
      for (const [name, s] of Object.entries(summary)) {
        const a = added(s[mode]);
        rows.push([
          `${name} ${mode}`,
          s[mode].p50.toFixed(3),
          s[mode].p99.toFixed(3),
          name.startsWith("direct") ? "-" : a.p50.toFixed(3),
          name.startsWith("direct") ? "-" : a.p99.toFixed(3),
          Math.round(s[mode].rps),
        ]);
      }
      const theirsAdded = added(theirs);
      const ratioRow = (label: string, s: { p50: number; p99: number; rps: number }): (string | number)[] => {
        const a = added(s);
        return [
          `ratio ${mode} (${label} vs portkey)`,
          "",
          "",
          `${(a.p50 / theirsAdded.p50).toFixed(3)}x`,
          `${(a.p99 / theirsAdded.p99).toFixed(3)}x`,
          `${(s.rps / theirs.rps).toFixed(2)}x`,
        ];
      };
      const oursAdded = added(ours);
      rows.push(ratioRow("rightsize", ours));
      // The floors' ratios show what the same targets would ask of a proxy that does nothing.
      for (const target of targets.filter((t) => t.name.startsWith("floor"))) {
        rows.push(ratioRow(target.name.replace("floor: ", "floor "), summary[target.name]![mode]));
      }
      const floorRatioRow = (floorName: string, judged: boolean): (string | number)[] => {
        const reference = summary[floorName]![mode];
        const p50Ratio = oursAdded.p50 / added(reference).p50;
        const rpsRatio = ours.rps / reference.rps;
        const label = floorName.replace("floor: ", "");
        return [
          `ratio ${mode} (rightsize vs ${label})`,
          "",
          "",
          `${p50Ratio.toFixed(2)}x${judged ? ` ${p50Ratio <= 1.5 ? "PASS" : "FAIL"} ≤1.5x` : ""}`,
          `${(oursAdded.p99 / added(reference).p99).toFixed(2)}x`,
          `${(100 * rpsRatio).toFixed(0)}%${judged ? ` ${rpsRatio >= 0.5 ? "PASS" : "FAIL"} ≥50%` : ""}`,
        ];
      };
      rows.push(floorRatioRow("floor: bare pass-through proxy", true));
      rows.push(floorRatioRow("floor: Fastify pass-through", false));
      rows.push([
        `targets ${mode}`,
        "",
        "",
        `${oursAdded.p50 <= 0.3 ? "PASS" : "FAIL"} ≤0.3ms, ${oursAdded.p50 <= theirsAdded.p50 / 5 ? "PASS" : "FAIL"} ≤1/5`,
        "",
        `${ours.rps >= 5 * theirs.rps ? "PASS" : "FAIL"} ≥5x`,
      ]);
    }
    process.stdout.write(
      `\nGateway overhead (${latencyRequests} sequential requests per latency run, 64 connections for ${seconds}s per throughput run; ms)\n\n` +
        formatTable(["target", "p50", "p99", "added p50", "added p99", "req/s @64"], rows) +
        "\n",
    );
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}

await main();
// Shadow evaluation's rows (issue 12 §5): shadow off vs on at 10% sampling, and under overload.
if (!values["no-shadow"]) process.stdout.write(await shadowOverheadTable({ requests: 2 * latencyRequests, seconds }));
