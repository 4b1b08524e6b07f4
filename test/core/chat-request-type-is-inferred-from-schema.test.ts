import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { ChatMessage, ChatRequest, ToolDefinition } from "../../src/core/chat-request.js";
import type { chatMessageSchema, chatRequestSchema, toolDefinitionSchema } from "../../src/core/chat-request-schema.js";
import { InvalidRequestError } from "../../src/core/errors.js";
import { parseChatRequest } from "../../src/openai/parse-chat-request.js";

const base = { model: "small", messages: [{ role: "user", content: "hi" }] };

function rejection(body: unknown): InvalidRequestError {
  try {
    parseChatRequest(body);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error("expected the request to be rejected");
}

describe("the wire request has one source: types are inferred from the schema", () => {
  it("ChatRequest, ChatMessage and ToolDefinition are the schema's output types", () => {
    expectTypeOf<ChatRequest>().toEqualTypeOf<z.output<typeof chatRequestSchema>>();
    expectTypeOf<ChatMessage>().toEqualTypeOf<z.output<typeof chatMessageSchema>>();
    expectTypeOf<ToolDefinition>().toEqualTypeOf<z.output<typeof toolDefinitionSchema>>();
  });

  it("fields the type declares are validated, not passed through unchecked", () => {
    expect(rejection({ ...base, messages: [{ role: "assistant", content: "x", prefix: "yes" }] }).param).toBe("messages[0].prefix");
    expect(rejection({ ...base, parallel_tool_calls: "sometimes" }).param).toBe("parallel_tool_calls");
    const tool = { type: "function", function: { name: "f", description: 42 } };
    expect(rejection({ ...base, tools: [tool] }).param).toBe("tools[0].function.description");
  });

  it("unknown fields and unknown content-part kinds still pass through", () => {
    const parsed = parseChatRequest({
      ...base,
      messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "…" } }], custom: 1 }],
      vendor_field: { a: 1 },
    });
    expect(parsed.vendor_field).toEqual({ a: 1 });
    expect(parsed.messages[0]?.custom).toBe(1);
    expect(parsed.messages[0]?.content).toEqual([{ type: "input_audio", input_audio: { data: "…" } }]);
  });
});
