import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import type { RightsizeConfigInput } from "../../src/config/config-schema.js";
import type { ShadowRecord } from "../../src/storage/shadow-record.js";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import { startGateway, type RunningGateway } from "../../src/server/start-gateway.js";
import { qualityResponder, type QualityScript } from "./sim-quality-script.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "./upstream-simulator.js";

export const SHADOW_CLIENT_KEY = "sk-client-team-0123456789";
export const PRIVATE_CLIENT_KEY = "sk-client-private-0123456789";

export interface ShadowTestGateway {
  sim: UpstreamSimulator;
  gateway: RunningGateway;
  /** The request log's SQLite file. */
  dbFile: string;
  /** The official client with the team key. */
  client: OpenAI;
  /** The official client with the key whose requests opt out of shadow evaluation. */
  privateClient: OpenAI;
  /** The shadow judgments in the SQLite request log, once every shadow job has finished. */
  shadowRows(): Promise<ShadowRecord[]>;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real gateway on a loopback port with a real SQLite request log, in front of the upstream
 * simulator scripted by answer quality: `small` (sim-small) is good at families A and B and bad
 * at C, `large` (sim-large) good at all, `judge` (sim-judge) judges deterministically, `tiny`
 * (sim-tiny, the cheapest) is configured but no router may choose it. Router `rightsize/auto`:
 * "hard" → large, else small; every request shadow-evaluated unless `edit` says otherwise.
 */
export async function startShadowGateway(
  options: { edit?: (config: RightsizeConfigInput) => void; script?: Partial<QualityScript> } = {},
): Promise<ShadowTestGateway> {
  const sim = await startUpstreamSimulator();
  sim.setResponder(qualityResponder({ goodAt: { "sim-small": ["A", "B"] }, judge: "sim-judge", ...options.script }));
  const dir = mkdtempSync(path.join(tmpdir(), "rightsize-shadow-"));
  const dbFile = path.join(dir, "requests.db");
  const model = (id: string, upstream: string, input: number, output: number, tier: string) => ({
    id,
    provider: "openai-compatible" as const,
    model: upstream,
    baseUrl: sim.baseUrl,
    price: { input, output },
    tier,
  });
  const input: RightsizeConfigInput = {
    server: {
      port: 0,
      logLevel: "silent",
      apiKeys: [
        { id: "team", key: SHADOW_CLIENT_KEY },
        { id: "private", key: PRIVATE_CLIENT_KEY },
      ],
    },
    models: [
      model("tiny", "sim-tiny", 0.01, 0.01, "small"),
      model("small", "sim-small", 0.1, 0.2, "small"),
      model("large", "sim-large", 5, 15, "large"),
      model("judge", "sim-judge", 1, 1, "large"),
    ],
    routers: [
      {
        id: "rightsize/auto",
        kind: "rules",
        targets: ["small", "large"],
        settings: { default: "small", rules: [{ name: "hard", when: { keywords: ["hard"] }, target: "large" }] },
      },
    ],
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 },
    storage: { path: dbFile },
    shadow: {
      routers: { "rightsize/auto": { sample: 1 } },
      judge: { model: "judge" },
      budgetUsdPerDay: 10,
      optOutCallers: ["private"],
    },
  };
  options.edit?.(input);
  const config = parseGatewayConfig(input, { env: {} });
  const gateway = await startGateway({ config, port: 0, host: "127.0.0.1" });
  const client = (key: string) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  return {
    sim,
    gateway,
    dbFile,
    client: client(SHADOW_CLIENT_KEY),
    privateClient: client(PRIVATE_CLIENT_KEY),
    async shadowRows() {
      await gateway.gateway.shadow?.whenIdle();
      await gateway.gateway.store.flush();
      return gateway.gateway.store.listShadow();
    },
    async metrics() {
      const response = await fetch(`${gateway.url}/metrics`);
      return response.text();
    },
    async close() {
      await gateway.close();
      await sim.close();
    },
  };
}
