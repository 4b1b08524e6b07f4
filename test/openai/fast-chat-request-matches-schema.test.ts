import { describe, expect, it } from "vitest";
import { chatRequestSchema } from "../../src/core/chat-request-schema.js";
import { fastChatRequest } from "../../src/openai/fast-chat-request.js";
import { parseChatRequest } from "../../src/openai/parse-chat-request.js";

const user = { role: "user", content: "Say hello." };
const accepted: unknown[] = [
  { model: "m", messages: [user] },
  { messages: [{ content: "hi", role: "user", extra: 2 }], model: "m", zz: 1, stream: true, max_tokens: 3 },
  {
    model: "rightsize/auto",
    messages: [{ role: "system", content: "Be brief." }, user, { role: "assistant", content: null, name: "a" }],
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 32,
    max_completion_tokens: null,
    temperature: 0.7,
    top_p: 1,
    n: 1,
    stop: "\n",
    seed: -5,
    presence_penalty: -1.5,
    frequency_penalty: 0,
    logprobs: false,
    top_logprobs: 0,
    tool_choice: "auto",
    parallel_tool_calls: null,
    user: "u1",
    metadata: { a: 1 },
  },
  {
    model: "m",
    messages: [
      { role: "tool", content: "42", tool_call_id: "c1" },
      { role: "assistant", content: "x", prefix: true },
    ],
  },
  { model: "m", messages: [user], stream_options: null, stream: null },
];
/** Valid or not, the fast path leaves these to zod. */
const leftToZod: unknown[] = [
  null,
  [],
  "x",
  { model: "", messages: [user] },
  { model: 3, messages: [user] },
  { model: "m" },
  { model: "m", messages: [] },
  { model: "m", messages: "hi" },
  { model: "m", messages: [{ role: "robot", content: "x" }] },
  { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] },
  { model: "m", messages: [{ role: "assistant", tool_calls: [] }] },
  { model: "m", messages: [{ role: "user", content: 5 }] },
  { model: "m", messages: [user], temperature: 3 },
  { model: "m", messages: [user], max_tokens: 0 },
  { model: "m", messages: [user], max_tokens: 1.5 },
  { model: "m", messages: [user], n: 129 },
  { model: "m", messages: [user], stop: ["a", "b"] },
  { model: "m", messages: [user], stream: "yes" },
  { model: "m", messages: [user], stream_options: { include_usage: "yes" } },
  { model: "m", messages: [user], stream_options: { include_usage: true, other: 1 } },
  { model: "m", messages: [user], tools: [] },
  { model: "m", messages: [user], tool_choice: { type: "function", function: { name: "f" } } },
  { model: "m", messages: [user], response_format: { type: "text" } },
  { model: "m", messages: [user], user: 7 },
  { model: "m", messages: [user], max_tokens: undefined },
  JSON.parse('{"model":"m","messages":[{"role":"user","content":"x"}],"__proto__":{"x":1}}'),
];

describe("the fast path of chat request validation", () => {
  it.each(accepted.map((body) => [JSON.stringify(body), body]))("builds exactly what the schema builds for %s", (_name, body) => {
    const fast = fastChatRequest(body);
    const schema = chatRequestSchema.parse(body);
    expect(fast).toStrictEqual(schema);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(schema));
    expect(fast).not.toBe(body);
    expect((fast as { messages: unknown[] }).messages).not.toBe((body as { messages: unknown[] }).messages);
  });

  it.each(leftToZod.map((body) => [JSON.stringify(body) ?? String(body), body]))("leaves %s to the schema", (_name, body) => {
    expect(fastChatRequest(body)).toBeUndefined();
  });

  it("still names the offending field through the schema", () => {
    expect(() => parseChatRequest({ model: "m", messages: [user, { role: "robot", content: "x" }] })).toThrow(
      /Invalid value for 'messages\[1\]\.role': unknown role "robot"/,
    );
    expect(() => parseChatRequest({ model: "m", messages: [user], temperature: 3 })).toThrow(/'temperature'/);
  });
});
