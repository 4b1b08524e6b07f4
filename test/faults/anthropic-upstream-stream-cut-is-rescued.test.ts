import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { simText } from "../support/sim-scenario.js";
import { startTestGateway, UPSTREAM_KEY, type TestGateway } from "../support/start-test-gateway.js";
import { assertCompleteOrError, FAULT_TIMEOUTS, readStream } from "./fault-gateway.js";

/**
 * The same mid-stream failover when the broken stream comes over the Anthropic Messages wire
 * (the simulator's /v1/messages): cut, stall, malformed event, in-band error event, missing
 * message_stop. Pass criterion: one complete answer or an error frame.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config, simBaseUrl) => {
      config.server = { ...config.server, timeouts: FAULT_TIMEOUTS };
      config.breaker = { failureThreshold: 1_000 };
      config.models.push({
        id: "claude",
        provider: "anthropic",
        model: "sim-claude",
        baseUrl: simBaseUrl,
        apiKey: UPSTREAM_KEY,
        price: { input: 3, output: 15 },
      });
      config.routers = [
        ...(config.routers ?? []),
        { id: "rightsize/claude-first", kind: "fixed", targets: ["claude"], fallbacks: ["large"] },
      ];
    },
  });
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const FULL = simText(60);
const tokens = FULL.match(/\s*\S+/g) ?? [];

it.each([
  ["cut", { fault: "cut" as const, afterTokens: 20 }],
  ["stall", { fault: "stall" as const, afterTokens: 20 }],
  ["malformed event", { fault: "malformed" as const, afterTokens: 20 }],
  ["error event", { fault: "error-frame" as const, afterTokens: 20 }],
  ["no message_stop", { fault: "missing-done" as const, afterTokens: 20 }],
])("Anthropic stream, %s after 20 tokens: one complete answer", async (_name, fault) => {
  t.sim.scriptFor("sim-claude", { content: FULL, ...fault });
  t.sim.scriptFor("sim-large", { content: tokens.slice(20).join("") });
  const outcome = await readStream(t.client, "rightsize/claude-first");
  expect(assertCompleteOrError(outcome, FULL)).toBe("complete");
});
