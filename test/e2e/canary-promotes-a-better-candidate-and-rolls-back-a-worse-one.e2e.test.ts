import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import { type RunningGateway, startGateway } from "../../src/server/start-gateway.js";
import { runCli } from "../support/run-cli.js";
import { qualityResponder } from "../support/sim-quality-script.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "../support/upstream-simulator.js";

const ADMIN = "canary-admin-key";
let sim: UpstreamSimulator | undefined;
let gateway: RunningGateway | undefined;

afterEach(async () => {
  await gateway?.close();
  await sim?.close();
  gateway = undefined;
  sim = undefined;
  process.exitCode = undefined;
});

/** A gateway whose router sends A, B and C prompts to `small`, with `small-v2` on trial for half of them. */
async function canaryGateway(
  candidateGoodAt: string[],
  options: { share?: number; shadow?: boolean; feedback?: boolean; minSamples?: number } = {},
) {
  sim = await startUpstreamSimulator();
  sim.setResponder(qualityResponder({ goodAt: { "sim-small": ["A", "B"], "sim-small-v2": candidateGoodAt }, judge: "sim-judge" }));
  const model = (id: string, upstream: string) => ({
    id,
    provider: "openai-compatible",
    model: upstream,
    baseUrl: sim?.baseUrl,
    tier: "small",
  });
  const config = parseGatewayConfig(
    {
      server: { port: 0, logLevel: "silent", admin: { keys: [ADMIN] } },
      models: [
        model("small", "sim-small"),
        model("small-v2", "sim-small-v2"),
        { ...model("large", "sim-large"), tier: "large" },
        { ...model("judge", "sim-judge"), tier: "judge" },
      ],
      routers: [{ id: "rightsize/auto", kind: "fixed", targets: ["small"], fallbacks: ["large"] }],
      storage: { path: ":memory:" },
      canaries: [
        {
          incumbent: "small",
          candidate: "small-v2",
          share: options.share ?? 0.5,
          minSamples: options.minSamples ?? 20,
          margin: 0.05,
          checkEvery: "1h",
        },
      ],
      ...(options.shadow
        ? { shadow: { routers: { "rightsize/auto": { sample: 1 } }, directions: ["down"], judge: { model: "judge" }, budgetUsdPerDay: 10 } }
        : {}),
    },
    { env: {} },
  );
  gateway = await startGateway({ config, port: 0, host: "127.0.0.1" });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });
  const served = { small: 0, "small-v2": 0 } as Record<string, number>;
  for (let i = 0; i < 90; i++) {
    const family = ["A", "B", "C"][i % 3];
    const { data, response } = await client.chat.completions
      .create({ model: "rightsize/auto", messages: [{ role: "user", content: `question ${i} [family:${family}]` }] })
      .withResponse();
    const text = data.choices[0]?.message.content ?? "";
    served[text.includes("sim-small-v2") ? "small-v2" : "small"] = (served[text.includes("sim-small-v2") ? "small-v2" : "small"] ?? 0) + 1;
    if (options.feedback === false) continue;
    await fetch(`${gateway.url}/v1/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request_id: response.headers.get("x-request-id"), metric: "correct", value: text.startsWith("GOOD") }),
    });
  }
  // The feedback reaches the canary off the answer's path; shadow judgments when their jobs end.
  await gateway.gateway.shadow?.whenIdle();
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { canary: gateway.gateway.canaries[0], served };
}

describe("canary", () => {
  it("sends its share of the incumbent's requests to the candidate and promotes it when feedback says it is not worse", async () => {
    const { canary, served } = await canaryGateway(["A", "B", "C"]);
    expect(served["small-v2"]).toBeGreaterThan(25);
    expect(served.small).toBeGreaterThan(25);
    const status = canary?.check();
    expect(status?.state).toBe("promoted");
    expect(status?.difference?.low).toBeGreaterThan(-0.05);
    expect(status?.share).toBe(1);
    const cli = await runCli("status", "--url", gateway?.url ?? "", "--admin-key", ADMIN);
    expect(cli.out).toMatch(/canary small-v2 vs small: promoted, answering 100% of small's requests/);
    expect(cli.out).toMatch(/candidate − incumbent {2}\+0\.\d{3} \(95% /);
    const metrics = await (await fetch(`${gateway?.url}/metrics`)).text();
    expect(metrics).toContain('rightsize_canary{incumbent="small",candidate="small-v2",figure="state"} 2');
  });

  it("rolls a worse candidate back and stops sending it traffic", async () => {
    const { canary } = await canaryGateway([]);
    const status = canary?.check();
    expect(status?.state).toBe("rolled-back");
    expect(status?.decision).toMatch(/^rolled back: candidate − incumbent -0\.\d{3}/);
    expect(status?.share).toBe(0);
  });

  it("with share 0 the candidate answers only in the shadow, and the judge's pairwise verdicts decide", async () => {
    const { canary, served } = await canaryGateway(["A", "B", "C"], { share: 0, shadow: true, feedback: false });
    expect(served["small-v2"]).toBe(0);
    const status = canary?.check();
    expect(status?.arms.map((arm) => arm.samples)).toEqual([90, 90]);
    expect(status?.arms[1]?.mean).toBeCloseTo(2 / 3, 2); // ties on A and B, wins on C
    expect(status?.state).toBe("promoted");
  });

  it("waits for minSamples scores in each arm before deciding, and keeps sending the candidate its share", async () => {
    const { canary } = await canaryGateway(["A", "B", "C"], { minSamples: 200 });
    const status = canary?.check();
    expect(status?.state).toBe("running");
    expect(status?.decision).toMatch(/^collecting scores \(\d+ \/ \d+ of 200 each\)$/);
    expect(status?.share).toBe(0.5);
  });
});
