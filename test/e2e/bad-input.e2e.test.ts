import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ edit: (c) => void (c.server = { ...c.server, bodyLimitBytes: 64 * 1024 }) });
});
afterAll(async () => t.close());

async function post(body: string, headers: Record<string, string> = { "content-type": "application/json" }) {
  const response = await fetch(`${t.gateway.url}/v1/chat/completions`, { method: "POST", headers, body });
  const json = (await response.json()) as { error?: { message: string; type: string; param: string | null; code: string | null } };
  return { status: response.status, error: json.error };
}

const ok = { model: "small", messages: [{ role: "user", content: "hi" }] };

describe("bad input gets an OpenAI-shaped 4xx and the server keeps serving", () => {
  it.each([
    ["malformed JSON", "{not json", 400, /not valid JSON/, "invalid_json"],
    ["truncated JSON", '{"model":"small","messages":[{"role"', 400, /not valid JSON/, "invalid_json"],
    ["a JSON array", "[1,2]", 400, /must be a JSON object/, "invalid_body"],
    ["missing messages", JSON.stringify({ model: "small" }), 400, /messages/, "invalid_value"],
    ["empty messages", JSON.stringify({ model: "small", messages: [] }), 400, /at least one message/, "invalid_value"],
    ["messages of the wrong type", JSON.stringify({ model: "small", messages: "hi" }), 400, /messages/, "invalid_value"],
    [
      "an unknown role",
      JSON.stringify({ model: "small", messages: [{ role: "wizard", content: "x" }] }),
      400,
      /unknown role "wizard"/,
      "invalid_value",
    ],
    ["a wrong temperature type", JSON.stringify({ ...ok, temperature: "hot" }), 400, /temperature/, "invalid_value"],
    ["a missing model", JSON.stringify({ messages: ok.messages }), 400, /model/, "invalid_value"],
    ["an unknown model", JSON.stringify({ ...ok, model: "gpt-17" }), 404, /"gpt-17" does not exist/, "model_not_found"],
    [
      "an oversized body",
      JSON.stringify({ ...ok, messages: [{ role: "user", content: "x".repeat(100_000) }] }),
      413,
      /larger than the limit/,
      "request_too_large",
    ],
  ])("%s", async (_name, body, status, message, code) => {
    const answer = await post(body);
    expect(answer.status).toBe(status);
    expect(answer.error?.message).toMatch(message);
    expect(answer.error?.code).toBe(code);
    expect(answer.error).toHaveProperty("type");
    expect(answer.error).toHaveProperty("param");
  });

  it("names the offending field in param", async () => {
    const answer = await post(
      JSON.stringify({
        model: "small",
        messages: [
          { role: "user", content: "a" },
          { role: "bot", content: "b" },
        ],
      }),
    );
    expect(answer.error?.param).toBe("messages[1].role");
  });

  it("answers a wrong content type with 415, a text body with 415 and an unknown route with 404", async () => {
    expect((await post("<a/>", { "content-type": "application/xml" })).status).toBe(415);
    expect((await post("hello", { "content-type": "text/plain" })).status).toBe(415);
    const response = await fetch(`${t.gateway.url}/v1/nothing`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
  });

  it("still serves normal requests afterwards", async () => {
    const answer = await t.client.chat.completions.create({ model: "small", messages: [{ role: "user", content: "still there?" }] });
    expect(answer.choices[0]?.message.role).toBe("assistant");
  });
});
