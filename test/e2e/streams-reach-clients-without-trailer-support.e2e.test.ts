import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chatRequestText, rawConnection, rawRequest } from "../support/raw-http.js";
import { simText } from "../support/sim-scenario.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config) => {
      config.server = { ...config.server, timeouts: { requestMs: 1_500 } };
    },
  });
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const streamBody = { model: "rightsize/small-first", messages: [{ role: "user", content: "tell me" }], stream: true };

async function rowOf(id: string) {
  await t.gateway.gateway.store.flush();
  return (await t.store.list({ limit: 1000 })).filter((record) => record.id === id);
}

describe("a streamed answer reaches clients that cannot take trailers", () => {
  it("HTTP/1.0: a complete stream without Trailer header or chunked framing, ended by closing, and logged", async () => {
    t.sim.script({ content: "one two three" });
    const response = await rawRequest(
      t.gateway.port,
      chatRequestText(streamBody, { version: "1.0", headers: { "x-request-id": "h10-ok" } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.trailer).toBeUndefined();
    expect(response.headers["transfer-encoding"]).toBeUndefined();
    expect(response.body).toContain('"content":"one"');
    expect(response.body.trimEnd().endsWith("data: [DONE]")).toBe(true);
    const rows = await rowOf("h10-ok");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe(200);
  });

  it("HTTP/1.1 without TE: trailers: a complete chunked stream and no trailers", async () => {
    t.sim.script({ content: "one two three" });
    const response = await rawRequest(t.gateway.port, chatRequestText(streamBody));
    expect(response.status).toBe(200);
    expect(response.headers["transfer-encoding"]).toBe("chunked");
    expect(response.headers.trailer).toBeUndefined();
    expect(response.body).toContain("data: [DONE]");
    expect(response.body).not.toContain("x-rightsize-cost-usd");
  });

  it("HTTP/1.1 with TE: trailers gets them", async () => {
    t.sim.script({ content: "one two three" });
    const response = await rawRequest(t.gateway.port, chatRequestText(streamBody, { headers: { te: "trailers" } }));
    expect(response.headers.trailer).toContain("x-rightsize-cost-usd");
    expect(response.body).toMatch(/\r\nx-rightsize-cost-usd: \d+\.\d{8}\r\n/);
  });

  it("HTTP/1.0: a stalled upstream still ends within the request deadline with an error frame and a log row", async () => {
    t.sim.setDefault({ content: simText(50), fault: "stall", afterTokens: 3 });
    const connection = rawConnection(
      t.gateway.port,
      chatRequestText(streamBody, { version: "1.0", headers: { "x-request-id": "h10-stall" } }),
    );
    const response = await connection.closed;
    expect(response.elapsedMs).toBeLessThan(5_000);
    expect(response.body).toContain('"content":"word0"');
    expect(response.body).toMatch(/data: \{"error":\{/);
    expect(response.body).not.toContain("[DONE]");
    const rows = await rowOf("h10-stall");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBeGreaterThanOrEqual(500);
    expect(rows[0]?.errorCode).toBeTruthy();
  });
});
