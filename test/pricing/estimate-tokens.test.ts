import { describe, expect, it } from "vitest";
import { estimateChatTokens, estimateMessageTokens, estimatePromptTokens, estimateTokens } from "../../src/pricing/estimate-tokens.js";

describe("token estimates", () => {
  it("counts one token per 4 characters, rounded up", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abc")).toBe(1);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
    expect(estimateTokens("x".repeat(400))).toBe(100);
  });

  it("adds 4 tokens per message and 1 plus the name for a named message", () => {
    expect(estimateMessageTokens({ role: "user", content: "12345678" })).toBe(4 + 2);
    expect(estimateMessageTokens({ role: "user", name: "bob", content: "12345678" })).toBe(4 + 2 + 1 + 1);
    expect(estimateMessageTokens({ role: "assistant", content: null })).toBe(4);
  });

  it("counts text parts of multi-part content and ignores images", () => {
    const message = {
      role: "user" as const,
      content: [
        { type: "text", text: "abcd" },
        { type: "image_url", image_url: { url: "https://example.com/a-very-long-image-url.png" } },
        { type: "text", text: "efg" },
      ],
    };
    // "abcd\nefg" = 8 characters = 2 tokens
    expect(estimateMessageTokens(message)).toBe(4 + 2);
  });

  it("adds 3 tokens of reply priming to a chat", () => {
    const messages = [
      { role: "system" as const, content: "x".repeat(40) },
      { role: "user" as const, content: "y".repeat(12) },
    ];
    expect(estimateChatTokens(messages)).toBe(3 + (4 + 10) + (4 + 3));
  });

  it("counts tool definitions and tool calls as their JSON text", () => {
    const tools = [{ type: "function" as const, function: { name: "f" } }];
    const toolsJson = JSON.stringify(tools); // {"type":"function","function":{"name":"f"}}
    const toolCalls = [{ id: "c1", type: "function" as const, function: { name: "f", arguments: "{}" } }];
    const messages = [
      { role: "user" as const, content: "abcd" },
      { role: "assistant" as const, content: null, tool_calls: toolCalls },
    ];
    expect(estimatePromptTokens({ messages, tools })).toBe(
      3 + (4 + 1) + (4 + Math.ceil(JSON.stringify(toolCalls).length / 4)) + Math.ceil(toolsJson.length / 4),
    );
  });
});
