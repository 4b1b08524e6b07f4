import { connect, type Socket } from "node:net";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";
import { generateCase, mulberry32 } from "./hostile-input-cases.js";

/**
 * Hostile input over real sockets to the real gateway. Pass criterion: each of 2,000 seeded
 * cases gets a 4xx with an OpenAI-shaped error body, or a handled 200; no 5xx, no hang; the
 * server then still serves normal requests. A slow-loris client neither blocks others nor
 * survives the client request deadline.
 */
const CASES = 2_000;
const SEED = 20261127;
let t: TestGateway;
let pool: Pool;

beforeAll(async () => {
  t = await startTestGateway({
    edit: (config) => {
      config.server = { ...config.server, timeouts: { clientRequestMs: 1_500, requestMs: 5_000, attemptMs: 2_000 } };
    },
  });
  pool = new Pool(t.gateway.url, { connections: 16, pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
});
afterAll(async () => {
  await pool.close();
  await t.close();
});

async function normalRequestWorks(): Promise<void> {
  const data = await t.client.chat.completions.create({ model: "small", messages: [{ role: "user", content: "still there?" }] });
  expect(data.choices[0]?.message.content).toBeTruthy();
}

describe("hostile request bodies", () => {
  it(`answers ${CASES} seeded hostile cases with a 4xx or a handled 200, then keeps serving`, async () => {
    const random = mulberry32(SEED);
    const cases = Array.from({ length: CASES }, () => generateCase(random));
    const outcomes = new Map<string, Map<number, number>>();
    const bad: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        if (!c) break;
        const response = await pool.request({ method: "POST", path: "/v1/chat/completions", headers: c.headers, body: c.body });
        const text = await response.body.text();
        const byStatus = outcomes.get(c.kind) ?? new Map<number, number>();
        byStatus.set(response.statusCode, (byStatus.get(response.statusCode) ?? 0) + 1);
        outcomes.set(c.kind, byStatus);
        const status = response.statusCode;
        const ok = status === 200 || (status >= 400 && status < 500);
        if (!ok) bad.push(`${c.kind} → ${status}: ${text.slice(0, 200)}`);
        else if (status >= 400) {
          const parsed = JSON.parse(text) as { error?: { message?: unknown; type?: unknown } };
          if (typeof parsed.error?.message !== "string" || typeof parsed.error.type !== "string")
            bad.push(`${c.kind} → ${status} without an OpenAI error body: ${text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(bad).toEqual([]);
    expect(outcomes.size).toBeGreaterThanOrEqual(18);
    expect([...(outcomes.get("valid")?.keys() ?? [])]).toEqual([200]);
    expect([...(outcomes.get("over-body-limit")?.keys() ?? [])]).toEqual([413]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await normalRequestWorks();
  }, 60_000);
});

describe("malformed HTTP on raw sockets", () => {
  const raw = (payload: string | Buffer): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect(t.gateway.port, "127.0.0.1");
      let answer = "";
      socket.on("data", (d) => (answer += d.toString("latin1")));
      socket.on("close", () => resolve(answer));
      socket.on("error", () => undefined);
      socket.setTimeout(5_000, () => socket.destroy());
      socket.end(payload);
    });

  it.each([
    [
      "a content-length larger than the body",
      "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{}",
    ],
    ["garbage request line", "HELLO THERE\r\n\r\n"],
    [
      "bad chunked encoding",
      "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    ],
    [
      "both content-length and chunked",
      "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    ],
    ["a 64 KB header", `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(65_536)}\r\n\r\n`],
    ["a NUL in a header", "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nx-a: b\u0000c\r\n\r\n"],
  ])("%s: a 4xx (or a close), never a crash", async (_name, payload) => {
    const answer = await raw(payload);
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    await normalRequestWorks();
  });
});

describe("slow-loris", () => {
  it("a client sending its headers byte by byte blocks nobody and is cut off at the client deadline", async () => {
    const socket: Socket = connect(t.gateway.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    let closedAt = 0;
    const closed = new Promise<void>((resolve) =>
      socket.once("close", () => {
        closedAt = performance.now();
        resolve();
      }),
    );
    socket.on("error", () => undefined);
    const started = performance.now();
    const header =
      "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nx-slow: " + "z".repeat(1_000);
    let i = 0;
    const drip = setInterval(() => {
      if (socket.destroyed || i >= header.length) return;
      socket.write(header[i++] ?? "");
    }, 20);
    try {
      // Others are served while the slow client drips.
      for (let k = 0; k < 5; k++) await normalRequestWorks();
      await closed;
      // Cut off near the 1.5 s client deadline, long before its headers would have ended.
      expect(closedAt - started).toBeLessThan(4_000);
      expect(i).toBeLessThan(header.length);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    await normalRequestWorks();
  }, 15_000);
});
