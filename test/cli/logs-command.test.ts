import { writeFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RequestLogRecord } from "../../src/storage/request-log-store.js";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import type { TempDir } from "../storage/request-log-fixtures.js";
import { makeServedRecord, makeTempDir } from "../storage/request-log-fixtures.js";
import { runCli } from "../support/run-cli.js";

const HOUR = 3_600_000;
const now = Date.now();
// Prices: small 0.15 / 0.6, large 2.5 / 10 USD per 1M tokens; costs below are hand-computed.
const records: RequestLogRecord[] = [
  makeServedRecord({ id: "r-old", time: now - 3 * HOUR, model: "small", promptTokens: 1000, completionTokens: 600, costUsd: 0.00051 }),
  makeServedRecord({ id: "r-mid", time: now - 2 * HOUR, model: "small", promptTokens: 2000, completionTokens: 1000, costUsd: 0.0009 }),
  makeServedRecord({
    id: "r-new",
    time: now - HOUR / 6,
    model: "large",
    router: null,
    score: null,
    callerId: null,
    promptTokens: 2000,
    completionTokens: 1000,
    costUsd: 0.015,
  }),
];

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli("logs", ...args);
}

describe("rightsize logs", () => {
  let dir: TempDir;
  let db: string;
  let prices: string;
  beforeAll(async () => {
    dir = makeTempDir();
    db = dir.file("logs/rs.db");
    const store = await SqliteRequestLogStore.open(db);
    for (const record of records) store.append(record);
    await store.close();
    prices = dir.file("prices.json");
    writeFileSync(prices, JSON.stringify({ small: { input: 0.15, output: 0.6 }, large: { input: 2.5, output: 10 } }));
  });
  afterAll(() => dir.remove());
  beforeEach(() => {
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it("lists requests newest first as an aligned table, then the cost by model and the savings", async () => {
    const { code, out } = await run("--db", db, "--prices", prices);
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toBe(`3 requests in ${db}`);
    const header = lines[2] as string;
    expect(header).toMatch(
      /^time \(UTC\)\s+id\s+caller\s+router\s+model\s+score\s+attempts\s+status\s+tokens in\+out\s+cost\s+ttft\s+latency$/,
    );
    expect(lines.slice(3, 6).map((line) => line.split(/\s{2,}/)[1])).toEqual(["r-new", "r-mid", "r-old"]);
    expect(lines[3]).toMatch(/r-new\s+-\s+-\s+large\s+-\s+1\s+200\s+2000\+1000\s+\$0\.0150\s+40ms\s+130ms$/);
    const statusEnd = header.indexOf("status") + "status".length; // right-aligned column
    expect(lines.slice(3, 6).map((line) => line.slice(statusEnd - 4, statusEnd))).toEqual([" 200", " 200", " 200"]);
    expect(out).toMatch(/large\s+1\s+1\s+2,000\s+1,000\s+\$0\.0150\n/);
    expect(out).toMatch(/small\s+2\s+2\s+3,000\s+1,600\s+\$0\.001410\n/);
    expect(out).toMatch(/total\s+3\s+3\s+5,000\s+2,600\s+\$0\.0164\n/);
    // On large: 5,000 × 2.5 + 2,600 × 10 = 38,500 / 1M = $0.0385; saved 0.0385 − 0.01641 = $0.0221 (57.4 %).
    expect(out).toContain(
      "On large, the most expensive configured model ($2.5 in / $10 out per 1M tokens), the same traffic would have cost $0.0385: saved $0.0221 (57.4%).",
    );
  });

  it("reads the db path (relative to the config's folder) and prices from --config, unset API key variables notwithstanding", async () => {
    const config = dir.file("rightsize.yaml");
    writeFileSync(
      config,
      [
        "models:",
        "  - { id: small, provider: openai-compatible, model: s, baseUrl: 'http://127.0.0.1:1/v1', apiKey: '${RIGHTSIZE_TEST_UNSET_KEY}', price: { input: 0.15, output: 0.6 } }",
        "  - { id: large, provider: openai-compatible, model: l, baseUrl: 'http://127.0.0.1:1/v1', price: { input: 2.5, output: 10 } }",
        "storage: { path: logs/rs.db }",
      ].join("\n"),
    );
    const { code, out, err } = await run("--config", config, "--limit", "1");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain(`3 requests in ${db}, showing the latest 1 (--limit)`);
    expect(out).toContain("would have cost $0.0385: saved $0.0221 (57.4%)");
  });

  it("needs no upstream or client secret from the config: unset ${VAR}s outside storage do not matter", async () => {
    const config = dir.file("secrets.yaml");
    writeFileSync(
      config,
      [
        "server:",
        "  apiKeys: ['${RIGHTSIZE_TEST_UNSET_CLIENT_KEY}']",
        "models:",
        "  - id: small",
        "    provider: openai-compatible",
        "    model: s",
        "    baseUrl: ${RIGHTSIZE_TEST_UNSET_BASE_URL}",
        "    apiKey: ${RIGHTSIZE_TEST_UNSET_KEY}",
        "    price: { input: 0.15, output: 0.6 }",
        "  - { id: large, provider: anthropic, model: l, apiKey: '${RIGHTSIZE_TEST_UNSET_ANTHROPIC}', price: { input: 2.5, output: 10 } }",
        "storage: { path: '${RIGHTSIZE_TEST_LOG_DIR:-logs}/rs.db' }",
      ].join("\n"),
    );
    const { code, out, err } = await run("--config", config, "--limit", "1");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain(`3 requests in ${db}, showing the latest 1 (--limit)`);
    expect(out).toContain("would have cost $0.0385: saved $0.0221 (57.4%)");
  });

  it("still names an unset variable the storage path needs, with its line", async () => {
    const config = dir.file("storage-env.yaml");
    writeFileSync(
      config,
      "models:\n  - { id: a, provider: openai-compatible, model: m, baseUrl: 'http://x/v1' }\nstorage:\n  path: ${RIGHTSIZE_TEST_UNSET_DB}\n",
    );
    const { code, err } = await run("--config", config);
    expect(code).toBe(1);
    expect(err).toContain(`${config}:4: storage.path: environment variable RIGHTSIZE_TEST_UNSET_DB is not set`);
  });

  it("filters by --since and --model and prints JSON with --json", async () => {
    const recent = JSON.parse((await run("--db", db, "--since", "1h", "--json")).out) as { requests: RequestLogRecord[] };
    expect(recent.requests.map((r) => r.id)).toEqual(["r-new"]);
    const small = JSON.parse((await run("--db", db, "--model", "small", "--json", "--prices", prices)).out) as {
      requests: RequestLogRecord[];
      summary: { requests: number };
      counterfactual: { reference: { id: string }; counterfactualUsd: number };
    };
    expect(small.requests.map((r) => r.id)).toEqual(["r-mid", "r-old"]);
    expect(small.summary.requests).toBe(2);
    // 3,000 × 2.5 + 1,600 × 10 = 23,500 / 1M
    expect(small.counterfactual.counterfactualUsd).toBeCloseTo(0.0235, 12);
  });

  it("says when nothing matches and when no prices are known", async () => {
    expect((await run("--db", db, "--model", "nobody")).out).toBe(`No requests in ${db} match the filters.\n`);
    expect((await run("--db", db)).out).toContain("No model prices known: pass --config or --prices");
  });

  it("fails with one clear line for a missing db, a non-rightsize file, a missing config and a bad --since", async () => {
    const missing = await run("--db", dir.file("absent.db"));
    expect(missing).toMatchObject({ code: 1, out: "" });
    expect(missing.err).toBe(`rightsize: ${dir.file("absent.db")}: no request log here (the gateway creates it on first start)\n`);
    const notDb = await run("--db", prices);
    expect(notDb.code).toBe(1);
    expect(notDb.err).toBe(`rightsize: ${prices}: is not a SQLite database (corrupt, or some other file)\n`);
    const config = await run("--config", dir.file("absent.yaml"));
    expect(config.code).toBe(1);
    expect(config.err).toBe(`rightsize: ${dir.file("absent.yaml")}: (file): file not found\n`);
    const since = await run("--db", db, "--since", "yesterday");
    expect(since.code).toBe(1);
    expect(since.err).toMatch(/^rightsize: --since: expected a duration like 30m, 1h, 2d or a date like 2026-11-27, got "yesterday"\n$/);
  });
});
