import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, UPSTREAM_KEY, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config, simBaseUrl) => {
      config.models.push({
        id: "claude",
        provider: "anthropic",
        model: "claude-sim",
        baseUrl: simBaseUrl,
        apiKey: UPSTREAM_KEY,
        price: { input: 3, output: 15 },
      });
    },
  });
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

describe("an OpenAI client talks to Claude through the gateway", () => {
  it("chat with a system prompt", async () => {
    t.sim.script({ content: "Bonjour.", promptTokens: 12, completionTokens: 3 });
    const answer = await t.client.chat.completions.create({
      model: "claude",
      messages: [
        { role: "system", content: "Answer in French." },
        { role: "user", content: "Hello" },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe("Bonjour.");
    expect(answer.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
    const sent = t.sim.requests[0];
    expect(sent?.path).toBe("/v1/messages");
    expect(sent?.body).toMatchObject({ model: "claude-sim", system: "Answer in French." });
    expect(sent?.headers["x-api-key"]).toBe(UPSTREAM_KEY);
  });

  it("streams text and tool calls in OpenAI chunks", async () => {
    t.sim.script({ content: "one two three" });
    const stream = await t.client.chat.completions.create({
      model: "claude",
      messages: [{ role: "user", content: "count" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("one two three");

    t.sim.script({ toolCalls: [{ id: "toolu_1", name: "lookup", arguments: '{"q":"rightsize"}' }] });
    const tools = await t.client.chat.completions.create({
      model: "claude",
      messages: [{ role: "user", content: "search" }],
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }],
      stream: true,
    });
    let args = "";
    let finish: string | null | undefined;
    for await (const chunk of tools) {
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(JSON.parse(args)).toEqual({ q: "rightsize" });
    expect(finish).toBe("tool_calls");
  });
});
