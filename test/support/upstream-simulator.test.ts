import { request as httpRequest } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { simScenario } from "./sim-scenario.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "./upstream-simulator.js";

async function post(
  sim: UpstreamSimulator,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  const response = await httpRequest(`${sim.url}${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });
  return { status: response.statusCode, text: await response.body.text(), headers: response.headers };
}

const chat = (model: string, content = "hi", extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model,
  messages: [{ role: "user", content }],
  ...extra,
});

describe("upstream simulator", () => {
  let sim: UpstreamSimulator;
  beforeAll(async () => {
    sim = await startUpstreamSimulator({ models: ["a", "b"] });
  });
  afterEach(() => sim.reset());
  afterAll(() => sim.close());

  it("answers plain requests with per-request prompt token counts (fast path templates)", async () => {
    const short = JSON.parse((await post(sim, "/v1/chat/completions", chat("a", "hi"))).text);
    const long = JSON.parse((await post(sim, "/v1/chat/completions", chat("a", "x".repeat(400)))).text);
    expect(short.model).toBe("a");
    expect(long.usage.prompt_tokens).toBeGreaterThan(short.usage.prompt_tokens + 90);
    expect(long.usage.total_tokens).toBe(long.usage.prompt_tokens + long.usage.completion_tokens);
  });

  it("picks scenarios: header first, then the model's script, then the global script, then defaults", async () => {
    sim.scriptFor("b", "server-error");
    sim.script("unavailable");
    sim.setDefault("rate-limit", "a");
    expect((await post(sim, "/v1/chat/completions", chat("a"), { "x-sim-scenario": "content-filter" })).status).toBe(400);
    expect((await post(sim, "/v1/chat/completions", chat("b"))).status).toBe(500);
    expect((await post(sim, "/v1/chat/completions", chat("b"))).status).toBe(503);
    expect((await post(sim, "/v1/chat/completions", chat("b"))).status).toBe(200);
    expect((await post(sim, "/v1/chat/completions", chat("a"))).status).toBe(429);
    expect(sim.requests.map((r) => r.model)).toEqual(["a", "b", "b", "b", "a"]);
  });

  it("sends Retry-After headers as scripted", async () => {
    sim.script("rate-limit-retry-after:3", "rate-limit-retry-after-ms:20");
    expect((await post(sim, "/v1/chat/completions", chat("a"))).headers["retry-after"]).toBe("3");
    expect((await post(sim, "/v1/chat/completions", chat("a"))).headers["retry-after-ms"]).toBe("20");
  });

  it("draws the same faults for the same seed", async () => {
    const draw = async (): Promise<number[]> => {
      sim.reset();
      sim.setFaultMix({ rate: 0.5, seed: 42, faults: ["server-error", "unavailable"] });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await post(sim, "/v1/chat/completions", chat("a"))).status);
      return statuses;
    };
    const first = await draw();
    expect(await draw()).toEqual(first);
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(3);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(3);
  });

  it("rejects prefill only when the request continues an assistant message", async () => {
    sim.setDefault("reject-prefill");
    expect((await post(sim, "/v1/chat/completions", chat("a"))).status).toBe(200);
    const prefill = {
      model: "a",
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "A", prefix: true },
      ],
    };
    expect((await post(sim, "/v1/chat/completions", prefill)).status).toBe(400);
    const anthropicPrefill = {
      model: "c",
      max_tokens: 10,
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "A" },
      ],
    };
    expect((await post(sim, "/v1/messages", anthropicPrefill)).status).toBe(400);
  });

  it("speaks Anthropic Messages: requires max_tokens, answers stop sequences and max_tokens", async () => {
    expect((await post(sim, "/v1/messages", chat("c"))).status).toBe(400);
    const stopped = JSON.parse((await post(sim, "/v1/messages", chat("c", "q", { max_tokens: 100, stop_sequences: ["am"] }))).text);
    expect(stopped).toMatchObject({ stop_reason: "stop_sequence", stop_sequence: "am", content: [{ type: "text", text: "Hello! I " }] });
    const capped = JSON.parse((await post(sim, "/v1/messages", chat("c", "q", { max_tokens: 2 }))).text);
    expect(capped).toMatchObject({ stop_reason: "max_tokens", usage: { output_tokens: 2 } });
  });

  it("lists models, serves embeddings and 404s unknown paths", async () => {
    const models = await httpRequest(`${sim.url}/v1/models`);
    expect((await models.body.json()) as unknown).toMatchObject({ object: "list", data: [{ id: "a" }, { id: "b" }] });
    const embeddings = JSON.parse((await post(sim, "/v1/embeddings", { model: "e", input: "same", dimensions: 4 })).text);
    const again = JSON.parse((await post(sim, "/v1/embeddings", { model: "e", input: "same", dimensions: 4 })).text);
    expect(embeddings.data[0].embedding).toHaveLength(4);
    expect(embeddings.data[0].embedding).toEqual(again.data[0].embedding);
    expect((await post(sim, "/v1/nope", {})).status).toBe(404);
  });

  it("rejects unparseable JSON with a 400", async () => {
    const response = await httpRequest(`${sim.url}/v1/chat/completions`, { method: "POST", body: "{not json" });
    expect(response.statusCode).toBe(400);
    await response.body.text();
  });

  it("knows every documented preset name and rejects unknown ones", () => {
    const names =
      "ok, latency:5, rate-limit, rate-limit-retry-after:1, rate-limit-retry-after-ms:5, rate-limit-date:2, server-error, unavailable, overloaded, context-length, content-filter, reject-prefill, unauthorized, reset, silence, slow-first-token:50, cut:40, stall:3, malformed:2, missing-done:4, error-frame:1, omit-usage, omit-done";
    for (const name of names.split(", ")) expect(() => simScenario(name), name).not.toThrow();
    expect(() => simScenario("explode")).toThrow(/unknown simulator scenario/);
    expect(() => simScenario("cut:x")).toThrow(/not a number/);
    expect(simScenario("cut:40")).toEqual({ fault: "cut", afterTokens: 40 });
  });
});
