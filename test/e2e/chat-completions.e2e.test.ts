import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, UPSTREAM_KEY, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

describe("chat completions through the gateway with the official openai client", () => {
  it("routes an easy prompt to the small model and says so in headers and body", async () => {
    t.sim.script({ content: "Paris.", promptTokens: 10, completionTokens: 2 });
    const { data, response } = await t.client.chat.completions
      .create({ model: "rightsize/auto", messages: [{ role: "user", content: "Capital of France?" }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("Paris.");
    expect(data.model).toBe("sim-small");
    expect(data.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 });
    expect(response.headers.get("x-rightsize-router")).toBe("rightsize/auto");
    expect(response.headers.get("x-rightsize-model")).toBe("small");
    expect(response.headers.get("x-rightsize-attempts")).toBe("1");
    expect(Number(response.headers.get("x-rightsize-score"))).toBe(0);
    expect(Number(response.headers.get("x-rightsize-cost-usd"))).toBeCloseTo((10 * 0.1 + 2 * 0.2) / 1e6, 12);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(t.sim.requests[0]?.model).toBe("sim-small");
    expect(t.sim.requests[0]?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  });

  it("routes a hard prompt to the large model", async () => {
    const { response } = await t.client.chat.completions
      .create({ model: "rightsize/auto", messages: [{ role: "user", content: "a hard question" }] })
      .withResponse();
    expect(response.headers.get("x-rightsize-model")).toBe("large");
    expect(Number(response.headers.get("x-rightsize-score"))).toBe(1);
  });

  it("calls a concrete model named directly", async () => {
    const { data, response } = await t.client.chat.completions
      .create({ model: "large", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(data.model).toBe("sim-large");
    expect(response.headers.get("x-rightsize-router")).toBe("none");
  });

  it("streams text with a usage chunk when asked", async () => {
    t.sim.script({ content: "one two three four", promptTokens: 7, completionTokens: 4 });
    const stream = await t.client.chat.completions.create({
      model: "rightsize/auto",
      messages: [{ role: "user", content: "count" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("one two three four");
    expect(finish).toBe("stop");
    expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 4 });
  });

  it("streams tool calls that the client can reassemble", async () => {
    t.sim.script({ toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris","unit":"c"}' }] });
    const stream = await t.client.chat.completions.create({
      model: "small",
      messages: [{ role: "user", content: "weather?" }],
      tools: [
        { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } },
      ],
      stream: true,
    });
    let name = "";
    let args = "";
    let id = "";
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.id) id = call.id;
      name += call?.function?.name ?? "";
      args += call?.function?.arguments ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ id, name, finish }).toEqual({ id: "call_1", name: "get_weather", finish: "tool_calls" });
    expect(JSON.parse(args)).toEqual({ city: "Paris", unit: "c" });
  });

  it("returns tool calls and JSON-mode answers in JSON responses, passing the fields upstream", async () => {
    t.sim.script({ toolCalls: [{ id: "call_2", name: "lookup", arguments: '{"q":"x"}' }] });
    const tools = await t.client.chat.completions.create({
      model: "small",
      messages: [{ role: "user", content: "look it up" }],
      tools: [{ type: "function", function: { name: "lookup" } }],
      tool_choice: "auto",
    });
    expect(tools.choices[0]?.message.tool_calls?.[0]).toMatchObject({ id: "call_2", function: { name: "lookup", arguments: '{"q":"x"}' } });
    expect(tools.choices[0]?.finish_reason).toBe("tool_calls");
    const json = await t.client.chat.completions.create({
      model: "small",
      messages: [{ role: "user", content: "give json" }],
      response_format: { type: "json_object" },
      seed: 7,
    });
    expect(() => JSON.parse(json.choices[0]?.message.content ?? "")).not.toThrow();
    const sent = t.sim.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent.response_format).toEqual({ type: "json_object" });
    expect(sent.seed).toBe(7);
  });

  it("lists routers and models, answers health checks and exposes metrics", async () => {
    const models = await t.client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["rightsize/auto", "rightsize/small-first", "small", "large"]));
    const health = await fetch(`${t.gateway.url}/healthz`);
    expect(await health.json()).toMatchObject({ status: "ok" });
    await t.client.chat.completions.create({ model: "small", messages: [{ role: "user", content: "hi" }] });
    const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(metrics).toContain("rightsize_requests_total");
    expect(metrics).toMatch(/rightsize_request_duration_seconds_bucket\{[^}]*model="small"/);
    expect(metrics).toContain("rightsize_cost_usd_total");
  });

  it("logs one row per request with attempts, tokens and cost, and no upstream key", async () => {
    t.sim.script({ content: `my key is ${UPSTREAM_KEY}`, promptTokens: 3, completionTokens: 5 });
    const before = await t.store.count();
    const { response } = await t.client.chat.completions
      .create({ model: "rightsize/auto", messages: [{ role: "user", content: "log me" }] })
      .withResponse();
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(await t.store.count()).toBe(before + 1);
    expect(row).toMatchObject({
      id: response.headers.get("x-request-id"),
      router: "rightsize/auto",
      model: "small",
      status: 200,
      promptTokens: 3,
      completionTokens: 5,
      stream: false,
    });
    expect(row?.attempts).toHaveLength(1);
    expect(row?.costUsd).toBeGreaterThan(0);
    expect(JSON.stringify(row)).not.toContain(UPSTREAM_KEY);
  });
});
