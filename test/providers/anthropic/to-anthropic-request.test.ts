import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../../src/core/chat-request.js";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { toAnthropicRequest } from "../../../src/providers/anthropic/to-anthropic-request.js";

const tool = {
  type: "function" as const,
  function: { name: "lookup", description: "Look up", parameters: { type: "object", properties: { q: { type: "string" } } } },
};

describe("toAnthropicRequest", () => {
  it("moves system and developer messages to `system` and maps sampling fields", () => {
    const request: ChatRequest = {
      model: "x",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: "Use metric units." },
        { role: "user", content: "hi" },
      ],
      stop: "END",
      temperature: 1.6,
      top_p: 0.9,
      user: "u-1",
    };
    expect(toAnthropicRequest(request, "claude-x", 512, true)).toEqual({
      model: "claude-x",
      max_tokens: 512,
      system: "Be brief.\n\nUse metric units.",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      stop_sequences: ["END"],
      temperature: 1,
      top_p: 0.9,
      metadata: { user_id: "u-1" },
      stream: true,
    });
  });

  it("translates tools, tool_choice, assistant tool calls and tool results (merging consecutive results)", () => {
    const request: ChatRequest = {
      model: "x",
      max_tokens: 100,
      tools: [tool],
      tool_choice: { type: "function", function: { name: "lookup" } },
      parallel_tool_calls: false,
      messages: [
        { role: "user", content: "find a and b" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "t1", type: "function", function: { name: "lookup", arguments: '{"q":"a"}' } },
            { id: "t2", type: "function", function: { name: "lookup", arguments: '{"q":"b"}' } },
          ],
        },
        { role: "tool", tool_call_id: "t1", content: "A" },
        { role: "tool", tool_call_id: "t2", content: "B" },
      ],
    };
    const body = toAnthropicRequest(request, "claude-x", 512, false);
    expect(body.max_tokens).toBe(100);
    expect(body.tools).toEqual([{ name: "lookup", description: "Look up", input_schema: tool.function.parameters }]);
    expect(body.tool_choice).toEqual({ type: "tool", name: "lookup", disable_parallel_tool_use: true });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "find a and b" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "t1", name: "lookup", input: { q: "a" } },
          { type: "tool_use", id: "t2", name: "lookup", input: { q: "b" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t1", content: "A" },
          { type: "tool_result", tool_use_id: "t2", content: "B" },
        ],
      },
    ]);
  });

  it("maps tool_choice auto/required/none", () => {
    const base: ChatRequest = { model: "x", messages: [{ role: "user", content: "q" }], tools: [tool] };
    expect(toAnthropicRequest({ ...base, tool_choice: "auto" }, "c", 1, false).tool_choice).toEqual({ type: "auto" });
    expect(toAnthropicRequest({ ...base, tool_choice: "required" }, "c", 1, false).tool_choice).toEqual({ type: "any" });
    // "none" keeps the tools (issue 9: a history with tool_use blocks is rejected without them).
    const none = toAnthropicRequest({ ...base, tool_choice: "none" }, "c", 1, false);
    expect(none.tools).toHaveLength(1);
    expect(none.tool_choice).toEqual({ type: "none" });
  });

  it("keeps a final assistant message as the prefill, without trailing whitespace", () => {
    const body = toAnthropicRequest(
      {
        model: "x",
        messages: [
          { role: "user", content: "story" },
          { role: "assistant", content: "Once upon a ", prefix: true },
        ],
      },
      "c",
      64,
      false,
    );
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "story" }] },
      { role: "assistant", content: [{ type: "text", text: "Once upon a" }] },
    ]);
  });

  it("asks for JSON in the system prompt for response_format, with the schema", () => {
    const body = toAnthropicRequest(
      {
        model: "x",
        messages: [{ role: "user", content: "q" }],
        response_format: { type: "json_schema", json_schema: { name: "s", schema: { type: "object", required: ["a"] } } },
      },
      "c",
      64,
      false,
    );
    expect(body.system).toContain("JSON Schema");
    expect(body.system).toContain('"required":["a"]');
  });

  it("translates image parts and rejects what Anthropic cannot take", () => {
    const body = toAnthropicRequest(
      {
        model: "x",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "what?" },
              { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
            ],
          },
        ],
      },
      "c",
      64,
      false,
    );
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "what?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
        ],
      },
    ]);
    expect(() => toAnthropicRequest({ model: "x", n: 2, messages: [{ role: "user", content: "q" }] }, "c", 1, false)).toThrow(
      InvalidRequestError,
    );
    expect(() =>
      toAnthropicRequest({ model: "x", messages: [{ role: "user", content: [{ type: "input_audio", data: "" }] }] }, "c", 1, false),
    ).toThrow(/input_audio/);
    expect(() =>
      toAnthropicRequest(
        {
          model: "x",
          messages: [{ role: "assistant", tool_calls: [{ id: "1", type: "function", function: { name: "f", arguments: "{bad" } }] }],
        },
        "c",
        1,
        false,
      ),
    ).toThrow(/not valid JSON/);
  });
});
