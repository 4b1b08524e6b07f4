import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load-config.js";
import { startGateway } from "../../../src/server/start-gateway.js";
import type { RunningGateway } from "../../../src/server/start-gateway.js";
import { MemoryRequestLogStore } from "../../../src/storage/memory-request-log-store.js";
import { storiesPath } from "./support/stories-model.js";

let gateway: RunningGateway;
let client: OpenAI;
beforeAll(async () => {
  const config = parseConfig(
    {
      server: { port: 0, logLevel: "silent" },
      models: [{ id: "stories", provider: "llama-cpp", model: storiesPath, contextSize: 512, threads: 1, concurrency: 2 }],
      storage: { path: ":memory:" },
    },
    { env: {} },
  );
  gateway = await startGateway({ config, store: new MemoryRequestLogStore(), port: 0, host: "127.0.0.1" });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
});

describe("the gateway serves stories260K end to end to the official openai client", () => {
  it("answers a chat completion with exact usage", async () => {
    const answer = await client.chat.completions.create({
      model: "stories",
      messages: [{ role: "user", content: "Once upon a time" }],
      temperature: 0,
      max_tokens: 20,
    });
    expect(answer.object).toBe("chat.completion");
    expect(answer.choices[0]?.message.content).toMatch(/there was/);
    expect(answer.choices[0]?.finish_reason).toBe("length");
    expect(answer.usage?.completion_tokens).toBe(20);
    expect(answer.usage?.prompt_tokens).toBe(5);
  });

  it("streams over SSE with the same greedy text, a finish reason and usage", async () => {
    const request = {
      model: "stories",
      messages: [{ role: "user" as const, content: "Once upon a time" }],
      temperature: 0,
      max_tokens: 20,
    };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let finish: string | null = null;
    let completionTokens: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
    }
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finish).toBe("length");
    expect(completionTokens).toBe(20);
  });

  it("returns token logprobs through the gateway", async () => {
    const answer = await client.chat.completions.create({
      model: "stories",
      messages: [{ role: "user", content: "Once upon a time" }],
      temperature: 0,
      max_tokens: 6,
      logprobs: true,
      top_logprobs: 2,
    });
    const content = answer.choices[0]?.logprobs?.content ?? [];
    expect(content).toHaveLength(6);
    expect(content[0]?.top_logprobs).toHaveLength(2);
  });

  it("serves /v1/embeddings from the local model", async () => {
    const result = await client.embeddings.create({ model: "stories", input: ["a little girl", "a big dog"] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding).toHaveLength(64);
    expect(result.usage.prompt_tokens).toBeGreaterThan(2);
  });
});
