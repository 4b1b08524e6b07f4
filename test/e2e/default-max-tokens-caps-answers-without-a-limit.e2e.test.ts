import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config) => {
      const small = config.models[0];
      if (small) small.defaultMaxTokens = 64;
    },
  });
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const messages = [{ role: "user" as const, content: "hi" }];

describe("models[].defaultMaxTokens", () => {
  it("is sent as max_tokens when the client sets no limit, JSON and stream", async () => {
    await t.client.chat.completions.create({ model: "small", messages });
    const stream = await t.client.chat.completions.create({ model: "small", messages, stream: true });
    for await (const _chunk of stream) {
      // drain
    }
    expect(t.sim.requests.map((request) => (request.body as { max_tokens?: number }).max_tokens)).toEqual([64, 64]);
  });

  it("leaves a client's own limit alone, whichever field carries it", async () => {
    await t.client.chat.completions.create({ model: "small", messages, max_tokens: 5 });
    await t.client.chat.completions.create({ model: "small", messages, max_completion_tokens: 9 });
    const bodies = t.sim.requests.map((request) => request.body as { max_tokens?: number; max_completion_tokens?: number });
    expect(bodies[0]).toMatchObject({ max_tokens: 5 });
    expect(bodies[1]?.max_completion_tokens).toBe(9);
    expect(bodies[1]?.max_tokens).toBeUndefined();
  });

  it("is unset for a model that does not configure it", async () => {
    await t.client.chat.completions.create({ model: "large", messages });
    const body = t.sim.requests[0]?.body as { max_tokens?: number } | undefined;
    expect(body).toBeDefined();
    expect(body?.max_tokens).toBeUndefined();
  });

  it("defaults to 1024 for a local model and 4096 for Anthropic", () => {
    const config = parseGatewayConfig(
      {
        models: [
          { id: "local", provider: "llama-cpp", model: "m.gguf" },
          { id: "claude", provider: "anthropic", model: "c", apiKey: "k" },
        ],
      },
      { env: {} },
    );
    expect(config.models.map((model) => model.defaultMaxTokens)).toEqual([1024, 4096]);
  });
});

describe("models[].price", () => {
  it("defaults each half to 0 as documented: price: { input: 1 } is valid", () => {
    const config = parseGatewayConfig(
      { models: [{ id: "a", provider: "openai-compatible", model: "m", baseUrl: "http://x/v1", price: { input: 1 } }] },
      { env: {} },
    );
    expect(config.models[0]?.price).toEqual({ input: 1, output: 0 });
  });
});
