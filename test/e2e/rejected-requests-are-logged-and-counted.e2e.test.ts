import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RequestLogRecord } from "../../src/storage/request-log-store.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

const KEY = "client-key-0123456789";
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    clientKey: KEY,
    edit: (config) => {
      config.server = { ...config.server, bodyLimitBytes: 2_000 };
    },
  });
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const chat = { model: "small", messages: [{ role: "user", content: "hello" }] };

async function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY}`, ...headers },
    body,
  });
}

async function onlyRow(response: Response): Promise<RequestLogRecord> {
  await response.arrayBuffer();
  const id = response.headers.get("x-request-id");
  expect(id).toBeTruthy();
  await t.gateway.gateway.store.flush();
  const rows = (await t.store.list({ limit: 10_000 })).filter((record) => record.id === id);
  expect(rows).toHaveLength(1);
  return rows[0] as RequestLogRecord;
}

async function metricsText(): Promise<string> {
  return (await fetch(`${t.gateway.url}/metrics`)).text();
}

describe("requests the gateway rejects get exactly one log row and a count", () => {
  it("401: status, code, no caller, no body", async () => {
    const response = await post(JSON.stringify(chat), { authorization: "Bearer wrong" });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-rightsize-attempts")).toBe("0");
    expect(response.headers.get("x-rightsize-cost-usd")).toBe("0.00000000");
    const row = await onlyRow(response);
    expect(row).toMatchObject({ status: 401, errorCode: "invalid_api_key", callerId: null, prompt: null, requestedModel: "" });
  });

  it("400 for an authenticated caller: the caller's key id, the code and the body", async () => {
    const response = await post(JSON.stringify({ ...chat, temperature: 9 }));
    expect(response.status).toBe(400);
    const row = await onlyRow(response);
    expect(row).toMatchObject({ status: 400, errorCode: "invalid_value", callerId: "tester", requestedModel: "small" });
    expect(row.prompt).toContain("hello");
  });

  it("400 for malformed JSON, 413 for a large body and 415 for another content type", async () => {
    const bad = await post("{nope");
    expect((await onlyRow(bad)).errorCode).toBe("invalid_json");
    const large = await post(JSON.stringify({ ...chat, messages: [{ role: "user", content: "x".repeat(3_000) }] }));
    expect(large.status).toBe(413);
    expect(await onlyRow(large)).toMatchObject({ status: 413, errorCode: "request_too_large", callerId: "tester" });
    const form = await post("a=1", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    expect(await onlyRow(form)).toMatchObject({ status: 415, errorCode: "unsupported_media_type" });
  });

  it("an engine error (unknown model) is logged once, with its code", async () => {
    const response = await post(JSON.stringify({ ...chat, model: "no-such-model" }));
    expect(response.status).toBe(404);
    const row = await onlyRow(response);
    expect(row).toMatchObject({ status: 404, errorCode: "model_not_found", requestedModel: "no-such-model", callerId: "tester" });
  });

  it("an upstream failure says in its headers what was tried and what it cost, and its row has the code", async () => {
    t.sim.setDefault({ status: 500 });
    const response = await post(JSON.stringify({ ...chat, model: "rightsize/auto" }));
    expect(response.status).toBe(502);
    expect(response.headers.get("x-rightsize-router")).toBe("rightsize/auto");
    expect(Number(response.headers.get("x-rightsize-attempts"))).toBeGreaterThanOrEqual(2);
    expect(response.headers.get("x-rightsize-score")).toMatch(/^\d\.\d{4}$/);
    const row = await onlyRow(response);
    expect(row.errorCode).toBe("upstream_error");
    expect(row.attempts.length).toBe(Number(response.headers.get("x-rightsize-attempts")));
  });

  it("a stream that breaks and cannot be rescued is logged with the code of its error frame", async () => {
    // A tool call cut mid-arguments cannot be continued elsewhere.
    t.sim.script({
      toolCalls: [{ name: "lookup", arguments: JSON.stringify({ query: "a b c d e f g h" }) }],
      fault: "cut",
      afterTokens: 3,
    });
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }];
    const response = await post(JSON.stringify({ ...chat, model: "small", tools, stream: true }));
    const text = await response.text();
    expect(text).toMatch(/data: \{"error":\{.*"code":"stream_interrupted"/);
    await t.gateway.gateway.store.flush();
    const rows = (await t.store.list({ limit: 10_000 })).filter((record) => record.id === response.headers.get("x-request-id"));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.errorCode).toBe("stream_interrupted");
  });

  it("while the gateway drains for shutdown, a new request gets an OpenAI-shaped 503 that closes the connection", async () => {
    t.gateway.gateway.inFlight.draining = true;
    try {
      const response = await post(JSON.stringify(chat));
      expect(response.status).toBe(503);
      expect(response.headers.get("connection")).toBe("close");
      const row = await onlyRow(response);
      expect(row).toMatchObject({ status: 503, errorCode: "shutting_down" });
    } finally {
      t.gateway.gateway.inFlight.draining = false;
    }
  });

  it("/metrics counts each by status and code", async () => {
    const metrics = await metricsText();
    expect(metrics).toMatch(/rightsize_requests_total\{router="",model="",status="401",code="invalid_api_key",stream="false"\} 1/);
    expect(metrics).toMatch(/rightsize_requests_total\{router="",model="",status="413",code="request_too_large",stream="false"\} 1/);
    expect(metrics).toMatch(/rightsize_requests_total\{[^}]*status="404",code="model_not_found"[^}]*\} 1/);
    expect(metrics).toMatch(/rightsize_requests_total\{router="rightsize\/auto",[^}]*status="502",code="upstream_error"[^}]*\} 1/);
  });
});
