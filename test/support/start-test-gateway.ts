import OpenAI from "openai";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import type { RightsizeConfigInput } from "../../src/config/config-schema.js";
import type { SharedState } from "../../src/state/shared-state.js";
import type { KeyStore } from "../../src/storage/keys/key-store.js";
import { MemoryRequestLogStore } from "../../src/storage/memory-request-log-store.js";
import { startGateway, type RunningGateway } from "../../src/server/start-gateway.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "./upstream-simulator.js";

export const UPSTREAM_KEY = "sk-upstream-secret-0123456789abcdef";

export interface TestGateway {
  sim: UpstreamSimulator;
  gateway: RunningGateway;
  store: MemoryRequestLogStore;
  /** The official OpenAI client pointed at the gateway. */
  client: OpenAI;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Changes to the default two-model config (small + large on the simulator, router rightsize/auto). */
  edit?: (config: RightsizeConfigInput, simBaseUrl: string) => void;
  clientKey?: string;
  /** The virtual keys the gateway accepts (default: none, in memory). */
  keyStore?: KeyStore;
  /** Breakers, quotas and router versions (default: in this process). */
  state?: SharedState;
}

/**
 * A real gateway on a real loopback port in front of the real upstream simulator, with the
 * official `openai` client. Models: `small` (upstream sim-small, cheap) and `large`
 * (upstream sim-large, dear); router `rightsize/auto` (rules: "hard" → large) with fallback
 * to large; router `rightsize/small-first` (fixed small, fallback large).
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const sim = await startUpstreamSimulator({ apiKey: UPSTREAM_KEY });
  const input: RightsizeConfigInput = {
    server: { port: 0, logLevel: "silent", ...(options.clientKey ? { apiKeys: [{ id: "tester", key: options.clientKey }] } : {}) },
    models: [
      {
        id: "small",
        provider: "openai-compatible",
        model: "sim-small",
        baseUrl: sim.baseUrl,
        apiKey: UPSTREAM_KEY,
        price: { input: 0.1, output: 0.2 },
        tier: "small",
        contextWindow: 8000,
      },
      {
        id: "large",
        provider: "openai-compatible",
        model: "sim-large",
        baseUrl: sim.baseUrl,
        apiKey: UPSTREAM_KEY,
        price: { input: 5, output: 15 },
        tier: "large",
        contextWindow: 128000,
      },
    ],
    routers: [
      {
        id: "rightsize/auto",
        kind: "rules",
        targets: ["small", "large"],
        fallbacks: ["large"],
        settings: { default: "small", rules: [{ name: "hard", when: { keywords: ["hard"] }, target: "large" }] },
      },
      { id: "rightsize/small-first", kind: "fixed", targets: ["small"], fallbacks: ["large"] },
    ],
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    storage: { path: ":memory:" },
  };
  options.edit?.(input, sim.baseUrl);
  const config = parseGatewayConfig(input, { env: {} });
  const store = new MemoryRequestLogStore({ secrets: [UPSTREAM_KEY] });
  const gateway = await startGateway({ config, store, keyStore: options.keyStore, state: options.state, port: 0, host: "127.0.0.1" });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: options.clientKey ?? "unused", maxRetries: 0 });
  return {
    sim,
    gateway,
    store,
    client,
    async close() {
      await gateway.close();
      await sim.close();
    },
  };
}
