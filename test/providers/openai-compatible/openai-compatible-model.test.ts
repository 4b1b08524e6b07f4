import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { OpenAiCompatibleModelConfig } from "../../../src/config/config-schema.js";
import { ConnectionError, StreamInterruptedError } from "../../../src/core/errors.js";
import { OpenAiCompatibleModel } from "../../../src/providers/openai-compatible/openai-compatible-model.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "../../support/upstream-simulator.js";
import { collectStream, signal, textOf, userRequest } from "../collect-stream.js";

function config(baseUrl: string, extra: Partial<OpenAiCompatibleModelConfig> = {}): OpenAiCompatibleModelConfig {
  return {
    id: "m",
    provider: "openai-compatible",
    model: "upstream-m",
    baseUrl,
    apiKey: "sk-test-key-0000",
    assistantPrefill: false,
    maxConnections: 8,
    price: { input: 0, output: 0 },
    contextWindow: 8192,
    tier: "small",
    ...extra,
  };
}

describe("OpenAiCompatibleModel specifics", () => {
  let sim: UpstreamSimulator;
  let model: OpenAiCompatibleModel;
  beforeAll(async () => {
    sim = await startUpstreamSimulator();
    model = new OpenAiCompatibleModel(config(sim.baseUrl, { headers: { "x-team": "core" } }));
  });
  afterEach(() => sim.reset());
  afterAll(async () => {
    await model.close();
    await sim.close();
  });

  it("sends the request almost unchanged: upstream model, unknown fields kept, internal fields stripped", async () => {
    await model.generate(
      userRequest("hi", {
        seed: 7,
        stop: ["\n\n"],
        reasoning_effort: "low",
        stream_options: { include_usage: true },
        rightsize_route: "x",
      }),
      { signal: signal() },
    );
    const received = sim.requests[0];
    expect(received?.body).toMatchObject({ model: "upstream-m", seed: 7, stop: ["\n\n"], reasoning_effort: "low", stream: false });
    expect(received?.body).not.toHaveProperty("stream_options");
    expect(received?.body).not.toHaveProperty("rightsize_route");
    expect(received?.headers.authorization).toBe("Bearer sk-test-key-0000");
    expect(received?.headers["x-team"]).toBe("core");
  });

  it("always asks the upstream for the usage chunk when streaming", async () => {
    const { parts } = await collectStream(model.stream(userRequest("hi"), { signal: signal() }));
    expect(sim.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(parts.some((p) => p.type === "usage" && !p.usage.estimated)).toBe(true);
  });

  it("serves n > 1 choices, generated and streamed", async () => {
    sim.script({ content: "same answer" }, { content: "same answer" });
    const result = await model.generate(userRequest("hi", { n: 2 }), { signal: signal() });
    expect(result.choices.map((c) => c.message.content)).toEqual(["same answer", "same answer"]);
    const { parts, error } = await collectStream(model.stream(userRequest("hi", { n: 2 }), { signal: signal() }));
    expect(error).toBeUndefined();
    expect([textOf(parts, 0), textOf(parts, 1)]).toEqual(["same answer", "same answer"]);
    expect(parts.filter((p) => p.type === "finish").map((p) => p.type === "finish" && p.choice)).toEqual([0, 1]);
  });

  it("returns token logprobs when asked, in JSON and in stream deltas", async () => {
    sim.script({ content: "a b", logprob: -0.5 }, { content: "a b", logprob: -0.5 });
    const result = await model.generate(userRequest("hi", { logprobs: true }), { signal: signal() });
    expect(result.choices[0]?.logprobs?.content?.map((t) => [t.token, t.logprob])).toEqual([
      ["a", -0.5],
      [" b", -0.5],
    ]);
    const { parts } = await collectStream(model.stream(userRequest("hi", { logprobs: true }), { signal: signal() }));
    const deltas = parts.filter((p) => p.type === "text-delta");
    expect(deltas.map((p) => p.type === "text-delta" && p.logprobs?.[0]?.logprob)).toEqual([-0.5, -0.5]);
  });

  it("streams refusals as refusal-delta parts", async () => {
    sim.script({ refusal: "I can't help with that." });
    const { parts } = await collectStream(model.stream(userRequest("bad"), { signal: signal() }));
    const refusal = parts
      .filter((p) => p.type === "refusal-delta")
      .map((p) => (p.type === "refusal-delta" ? p.text : ""))
      .join("");
    expect(refusal).toBe("I can't help with that.");
  });

  it("passes json_schema response formats through", async () => {
    const format = { type: "json_schema" as const, json_schema: { name: "answer", schema: { type: "object" }, strict: true } };
    const result = await model.generate(userRequest("json", { response_format: format }), { signal: signal() });
    expect(JSON.parse(result.choices[0]?.message.content ?? "")).toEqual({ answer: "Hello from the simulator." });
    expect(sim.requests[0]?.body).toMatchObject({ response_format: format });
  });

  it("embeds through /embeddings, in input order", async () => {
    const result = await model.embed({ model: "m", input: ["alpha", "beta"] }, { signal: signal() });
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings[0]).toHaveLength(8);
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    expect(sim.requests[0]?.path).toBe("/v1/embeddings");
  });

  it("takes assistantPrefill from the config and shares one pool per origin", async () => {
    const other = new OpenAiCompatibleModel(config(sim.baseUrl, { id: "m2", assistantPrefill: true }));
    expect(other.capabilities).toEqual({ assistantPrefill: true, logprobs: true, embeddings: true });
    await other.generate(userRequest("hi"), { signal: signal() });
    await other.close();
    const after = await model.generate(userRequest("still works"), { signal: signal() });
    expect(after.choices[0]?.finish_reason).toBe("stop");
  });

  it("maps a refused connection to ConnectionError", async () => {
    const closed = await startUpstreamSimulator();
    const url = closed.baseUrl;
    await closed.close();
    for (const baseUrl of [url, url.replace("127.0.0.1", "localhost")]) {
      const refused = new OpenAiCompatibleModel(config(baseUrl, { id: "refused" }));
      const error = await refused.generate(userRequest("hi"), { signal: signal() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toContain("ECONNREFUSED");
      await refused.close();
    }
  });

  it("cuts a stream after exactly N tokens when the scenario says cut:N (long enough answer generated)", async () => {
    sim.script("cut:40");
    const { parts, error } = await collectStream(model.stream(userRequest("long"), { signal: signal() }));
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(parts.filter((p) => p.type === "text-delta")).toHaveLength(40);
  });

  it("does not count a slow consumer as upstream silence", async () => {
    sim.script({ content: "a b c d" });
    const parts: string[] = [];
    for await (const part of model.stream(userRequest("hi"), { signal: signal(), idleTimeoutMs: 20 })) {
      parts.push(part.type);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(parts.at(-1)).toBe("usage");
  });

  it("a consumer that stops early closes the upstream connection", async () => {
    sim.script({ content: "one two three four five six", chunkDelayMs: 15 });
    for await (const part of model.stream(userRequest("hi"), { signal: signal() })) {
      if (part.type === "text-delta") break;
    }
    const request = sim.requests[0];
    expect(request && (await sim.whenClosed(request)).disconnected).toBe(true);
  });

  it("keeps a base URL's query string (e.g. api-version) on every request", async () => {
    const azure = new OpenAiCompatibleModel(config(`${sim.baseUrl}?api-version=2024-10-21`, { id: "azure" }));
    await azure.generate(userRequest("hi"), { signal: signal() });
    await azure.close();
    expect(sim.requests[0]?.path).toBe("/v1/chat/completions?api-version=2024-10-21");
  });
});
