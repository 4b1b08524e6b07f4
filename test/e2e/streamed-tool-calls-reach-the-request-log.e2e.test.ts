import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitLoggedAnswer } from "../../src/learning/export/logged-conversation.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => t.close());

describe("streamed tool calls in the request log", () => {
  it("logs a streamed answer's tool calls as a JSON answer's are, so exports keep them", async () => {
    t.sim.script({
      content: "Let me check.",
      toolCalls: [
        { id: "call_1", name: "get_weather", arguments: '{"city":"Paris","unit":"c"}' },
        { id: "call_2", name: "get_time", arguments: '{"zone":"CET"}' },
      ],
    });
    const stream = await t.client.chat.completions.create({
      model: "small",
      messages: [{ role: "user", content: "weather and time?" }],
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
      stream: true,
    });
    for await (const _chunk of stream) {
      // drain
    }
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.finishReason).toBe("tool_calls");
    const logged = splitLoggedAnswer(row?.answer ?? "");
    expect(logged.content).toBe("Let me check.");
    expect(logged.toolCalls).toEqual([
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","unit":"c"}' } },
      { id: "call_2", type: "function", function: { name: "get_time", arguments: '{"zone":"CET"}' } },
    ]);
  });
});
