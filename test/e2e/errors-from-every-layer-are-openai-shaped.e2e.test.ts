import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLogRecord } from "../../src/storage/request-log-store.js";
import { rawConnection, rawRequest, type RawResponse } from "../support/raw-http.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

/**
 * Errors raised before any route runs (Node's HTTP parser, Fastify's routing and body
 * parsing) get the same answer as ours: OpenAI's error shape, an x-request-id, one log row and
 * one count in /metrics by status and code.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config) => {
      config.server = { ...config.server, timeouts: { headersMs: 400, bodyIdleMs: 300, clientRequestMs: 5_000 } };
    },
  });
});
afterAll(async () => t.close());

function expectOpenAiError(response: RawResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers["x-request-id"]).toMatch(/^req_[0-9a-f]{32}$/);
  expect(response.headers["content-type"]).toContain("application/json");
  const body = JSON.parse(response.body) as { error: { message: string; type: string; param: unknown; code: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.type).toBe("invalid_request_error");
  expect(typeof body.error.message).toBe("string");
  expect(body.error.param).toBeNull();
}

async function rowOf(id: string): Promise<RequestLogRecord[]> {
  await t.gateway.gateway.store.flush();
  return (await t.store.list({ limit: 10_000 })).filter((record) => record.id === id);
}

async function expectLoggedOnce(response: RawResponse, status: number, code: string): Promise<void> {
  const rows = await rowOf(response.headers["x-request-id"] as string);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status, errorCode: code, callerId: null, prompt: null, attempts: [], costUsd: 0 });
}

const post = (head: string, body = "") => `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${head}\r\n${body}`;

describe("errors from Node's parser are OpenAI-shaped, logged and counted", () => {
  const cases: [string, string | Buffer, number, string][] = [
    ["a bad request line", "GET / HTTP/x\r\n\r\n", 400, "bad_request"],
    ["garbage instead of a request", "GARBAGE\r\n\r\n", 400, "invalid_method"],
    ["a method that is not HTTP", "BREW /v1/chat/completions HTTP/1.1\r\nhost: x\r\n\r\n", 400, "invalid_method"],
    ["conflicting Content-Length headers", post("content-length: 2\r\ncontent-length: 3\r\n", "{}"), 400, "invalid_request_framing"],
    [
      "Transfer-Encoding with Content-Length",
      post("content-length: 2\r\ntransfer-encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"),
      400,
      "invalid_request_framing",
    ],
    ["headers larger than Node accepts", post(`x-big: ${"a".repeat(20_000)}\r\n`), 431, "request_header_fields_too_large"],
  ];
  for (const [name, request, status, code] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      const response = await rawRequest(t.gateway.port, request);
      expectOpenAiError(response, status, code);
      await expectLoggedOnce(response, status, code);
    });
  }

  it("headers that do not arrive in time → 408 after headersMs, not after a minute", async () => {
    const response = await rawRequest(t.gateway.port, "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n");
    expectOpenAiError(response, 408, "request_timeout");
    expect(response.elapsedMs).toBeLessThan(2_500);
    await expectLoggedOnce(response, 408, "request_timeout");
  });
});

describe("errors from body reading and routing are OpenAI-shaped, logged and counted", () => {
  it("a body shorter than its Content-Length → 408 after bodyIdleMs", async () => {
    const connection = rawConnection(t.gateway.port, post("content-type: application/json\r\ncontent-length: 100\r\n", '{"model":"small"'));
    const response = await connection.closed;
    expectOpenAiError(response, 408, "request_timeout");
    expect(response.headers.connection).toBe("close");
    expect(response.elapsedMs).toBeLessThan(2_500);
    await expectLoggedOnce(response, 408, "request_timeout");
  });

  it("a URL that cannot be decoded → 400 invalid_url", async () => {
    const response = await rawRequest(t.gateway.port, "GET /v1/models/%zz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    expectOpenAiError(response, 400, "invalid_url");
    await expectLoggedOnce(response, 400, "invalid_url");
  });

  it("a known route with the wrong method → 405 with Allow", async () => {
    const response = await rawRequest(t.gateway.port, "GET /v1/chat/completions HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    expectOpenAiError(response, 405, "method_not_allowed");
    expect(response.headers.allow).toBe("POST");
    await expectLoggedOnce(response, 405, "method_not_allowed");
  });

  it("text/plain, even holding a JSON object, → 415 as the README says", async () => {
    const json = JSON.stringify({ model: "small", messages: [{ role: "user", content: "hi" }] });
    const response = await rawRequest(
      t.gateway.port,
      post(`content-type: text/plain\r\ncontent-length: ${json.length}\r\nconnection: close\r\n`, json),
    );
    expectOpenAiError(response, 415, "unsupported_media_type");
  });

  it("/metrics counts the rejections by status and code", async () => {
    const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/rightsize_requests_total\{[^}]*status="431",code="request_header_fields_too_large"[^}]*\} 1/);
    expect(metrics).toMatch(/rightsize_requests_total\{[^}]*status="408",code="request_timeout"[^}]*\} 2/);
    expect(metrics).toMatch(/rightsize_requests_total\{[^}]*status="400",code="invalid_request_framing"[^}]*\} 2/);
    expect(metrics).toMatch(/rightsize_requests_total\{[^}]*status="400",code="invalid_method"[^}]*\} 2/);
  });
});
