/**
 * A seeded generator of hostile request bodies and headers for POST /v1/chat/completions:
 * malformed and truncated JSON, huge strings, deep nesting, wrong types, invalid UTF-8,
 * thousands of messages, odd content types. Each case is bytes plus headers.
 */
export interface FuzzCase {
  kind: string;
  body: Buffer;
  headers: Record<string, string>;
}

export { mulberry32 } from "../support/mulberry32.js";

const JSON_HEADERS = { "content-type": "application/json" };
const valid = () => ({ model: "small", messages: [{ role: "user", content: "hi" }] });

const wrongValues: unknown[] = [null, 0, -1, 1.5, 1e308, true, "", "x", [], {}, [1, 2], { a: 1 }, "\u0000", "🙂".repeat(3)];
const fields = [
  "model",
  "messages",
  "stream",
  "temperature",
  "max_tokens",
  "n",
  "stop",
  "tools",
  "tool_choice",
  "response_format",
  "logprobs",
  "top_logprobs",
  "stream_options",
  "seed",
  "user",
];

export function generateCase(random: () => number): FuzzCase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (n: number) => Math.floor(random() * n);
  const json = (value: unknown, headers: Record<string, string> = JSON_HEADERS): FuzzCase => ({
    kind: "",
    body: Buffer.from(JSON.stringify(value)),
    headers,
  });
  const kinds: [string, () => FuzzCase][] = [
    [
      "truncated-json",
      () => {
        const text = JSON.stringify({ ...valid(), temperature: 0.5, stop: ["a", "b"] });
        return { kind: "", body: Buffer.from(text.slice(0, int(text.length))), headers: JSON_HEADERS };
      },
    ],
    ["random-bytes", () => ({ kind: "", body: Buffer.from(Array.from({ length: 1 + int(300) }, () => int(256))), headers: JSON_HEADERS })],
    [
      "json-garbage",
      () => ({
        kind: "",
        body: Buffer.from(
          pick([
            "{",
            "}",
            "[]",
            "null",
            "1",
            '"x"',
            "{'a':1}",
            '{"model":}',
            "{,}",
            "\u0000",
            "true",
            '{"a":1,}',
            "NaN",
            '{"model":"small","messages":[{"role":"user","content":"hi"}]',
          ]),
        ),
        headers: JSON_HEADERS,
      }),
    ],
    [
      "wrong-type",
      () => {
        const body: Record<string, unknown> = valid();
        body[pick(fields)] = pick(wrongValues);
        return json(body);
      },
    ],
    [
      "wrong-message",
      () => {
        const message: Record<string, unknown> = { role: "user", content: "hi" };
        message[pick(["role", "content", "name", "tool_calls", "tool_call_id"])] = pick([...wrongValues, "wizard", [{ type: 5 }], [{}]]);
        return json({ model: "small", messages: pick([[message], [message, message], message]) });
      },
    ],
    ["huge-string", () => json({ model: "small", messages: [{ role: "user", content: "A".repeat(100_000 + int(300_000)) }] })],
    ["huge-model-name", () => json({ model: "m".repeat(100_000), messages: valid().messages })],
    ["over-body-limit", () => ({ kind: "", body: Buffer.alloc(4 * 1024 * 1024 + 10, 0x20), headers: JSON_HEADERS })],
    [
      "deep-nesting",
      () => {
        const depth = 1_000 + int(20_000);
        const key = pick(["messages", "metadata", "tools"]);
        return {
          kind: "",
          body: Buffer.from(`{"model":"small","${key}":${"[".repeat(depth)}${"]".repeat(depth)}}`),
          headers: JSON_HEADERS,
        };
      },
    ],
    [
      "deep-object",
      () => {
        let value: unknown = "x";
        for (let i = 0; i < 500 + int(2_000); i++) value = { a: value };
        return json({ ...valid(), metadata: value });
      },
    ],
    [
      "invalid-utf8",
      () => {
        const bytes = Buffer.from('{"model":"small","messages":[{"role":"user","content":"XX"}]}');
        const at = bytes.indexOf("XX");
        bytes[at] = pick([0xc3, 0xff, 0xfe, 0xed, 0x80]);
        bytes[at + 1] = pick([0x28, 0xa0, 0xc0, 0xff]);
        return { kind: "", body: bytes, headers: JSON_HEADERS };
      },
    ],
    [
      "lone-surrogate",
      () => ({
        kind: "",
        body: Buffer.from('{"model":"small","messages":[{"role":"user","content":"\\ud800 and \\udfff"}]}'),
        headers: JSON_HEADERS,
      }),
    ],
    [
      "many-messages",
      () =>
        json({
          model: "small",
          messages: Array.from({ length: 1_000 + int(1_500) }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `m${i}` })),
        }),
    ],
    [
      "many-fields",
      () => {
        const body: Record<string, unknown> = valid();
        for (let i = 0; i < 1_000 + int(2_000); i++) body[`f${i}`] = i;
        return json(body);
      },
    ],
    [
      "proto-pollution",
      () => ({
        kind: "",
        body: Buffer.from(
          '{"model":"small","messages":[{"role":"user","content":"hi"}],"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
        ),
        headers: JSON_HEADERS,
      }),
    ],
    [
      "content-type",
      () => ({
        kind: "",
        body: Buffer.from(JSON.stringify(valid())),
        headers: {
          "content-type": pick([
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=latin1",
            "",
            "application/jsonx",
            "image/png",
          ]),
        },
      }),
    ],
    ["unknown-model", () => json({ ...valid(), model: pick(["gpt-5", "../../etc/passwd", "rightsize/", " ", "small\u0000"]) })],
    [
      "bad-auth-header",
      () => ({
        kind: "",
        body: Buffer.from(JSON.stringify(valid())),
        headers: { ...JSON_HEADERS, authorization: pick(["Bearer", "Basic abc", "Bearer " + "k".repeat(5_000), "x"]) },
      }),
    ],
    ["valid", () => json({ ...valid(), stream: random() < 0.5 })],
  ];
  const [kind, make] = pick(kinds);
  return { ...make(), kind };
}
