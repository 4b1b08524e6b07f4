import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

/**
 * /v1/embeddings runs through the engine like a chat request: a router's choice and its
 * fallbacks with retries, one request-log row with every attempt, usage and cost, and a count
 * in /metrics. Pass criterion: an embedding model that cannot be reached is retried, then the
 * router's fallback serves, and the log and metrics say so.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config) => {
      config.models = [
        ...(config.models ?? []),
        {
          id: "embed-down",
          provider: "openai-compatible",
          model: "down",
          baseUrl: "http://127.0.0.1:9/v1",
          price: { input: 1, output: 0 },
        },
      ];
      config.routers = [...(config.routers ?? []), { id: "embed/auto", kind: "fixed", targets: ["embed-down"], fallbacks: ["small"] }];
    },
  });
});
afterAll(async () => t.close());

describe("POST /v1/embeddings", () => {
  it("a model named directly answers, and the request has its log row with usage and cost", async () => {
    const { data, response } = await t.client.embeddings
      .create({ model: "small", input: ["hello world", "goodbye"], encoding_format: "float" })
      .withResponse();
    expect(data.data).toHaveLength(2);
    expect(response.headers.get("x-rightsize-model")).toBe("small");
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row).toMatchObject({ requestedModel: "small", model: "small", status: 200, stream: false });
    expect(row?.attempts.map((a) => [a.model, a.step, a.outcome])).toEqual([["small", "route", "ok"]]);
    expect(row?.promptTokens).toBe(data.usage.prompt_tokens);
    expect(row?.costUsd).toBeCloseTo((data.usage.prompt_tokens * 0.1) / 1e6, 12);
  });

  it("an unreachable embedding model is retried, then the router's fallback serves", async () => {
    const { data, response } = await t.client.embeddings
      .create({ model: "embed/auto", input: "fall back please", encoding_format: "float" })
      .withResponse();
    expect(data.data).toHaveLength(1);
    expect(response.headers.get("x-rightsize-model")).toBe("small");
    expect(response.headers.get("x-rightsize-router")).toBe("embed/auto");
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.attempts.map((a) => [a.model, a.step, a.outcome])).toEqual([
      ["embed-down", "route", "error"],
      ["embed-down", "retry", "error"],
      ["small", "fallback", "ok"],
    ]);
    const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/rightsize_requests_total\{router="embed\/auto",model="small",status="200",code="",stream="false"\} 1/);
  });

  it("an unknown model gets a 404 and a log row", async () => {
    const error = await t.client.embeddings.create({ model: "nope", input: "x" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404 });
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row).toMatchObject({ requestedModel: "nope", status: 404 });
  });
});
