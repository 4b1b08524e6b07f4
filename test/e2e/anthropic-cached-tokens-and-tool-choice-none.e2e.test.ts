import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway, UPSTREAM_KEY } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config, simBaseUrl) => {
      config.models.push({ id: "claude", provider: "anthropic", model: "claude-sim", baseUrl: simBaseUrl, apiKey: UPSTREAM_KEY });
    },
  });
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const tools = [{ type: "function" as const, function: { name: "lookup", parameters: { type: "object", properties: {} } } }];

describe("Anthropic through the gateway", () => {
  it("streamed usage carries prompt_tokens_details.cached_tokens, like the JSON answer", async () => {
    t.sim.script({ content: "one two", promptTokens: 120, completionTokens: 2, cachedTokens: 100 });
    const json = await t.client.chat.completions.create({ model: "claude", messages: [{ role: "user", content: "hi" }] });
    expect(json.usage?.prompt_tokens_details?.cached_tokens).toBe(100);

    t.sim.script({ content: "one two", promptTokens: 120, completionTokens: 2, cachedTokens: 100 });
    const stream = await t.client.chat.completions.create({
      model: "claude",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: typeof json.usage | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 100 } });
  });

  it('tool_choice "none" keeps the tools (a history with tool_use needs them) and sends {"type":"none"}', async () => {
    t.sim.script({ content: "Done." });
    await t.client.chat.completions.create({
      model: "claude",
      tools,
      tool_choice: "none",
      messages: [
        { role: "user", content: "look it up" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "toolu_1", type: "function", function: { name: "lookup", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "toolu_1", content: "found it" },
      ],
    });
    const sent = t.sim.requests[0]?.body as { tools?: { name: string }[]; tool_choice?: unknown };
    expect(sent.tools?.map((tool) => tool.name)).toEqual(["lookup"]);
    expect(sent.tool_choice).toEqual({ type: "none" });
  });
});
