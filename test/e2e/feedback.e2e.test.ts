import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RightsizeConfigInput } from "../../src/config/config-schema.js";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import { type RunningGateway, startGateway } from "../../src/server/start-gateway.js";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeTempDir, type TempDir } from "../storage/request-log-fixtures.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "../support/upstream-simulator.js";

const KEY_A = "rs-key-team-a-000000";
const KEY_B = "rs-key-team-b-111111";

let sim: UpstreamSimulator;
let gateway: RunningGateway;
let store: SqliteRequestLogStore;
let dir: TempDir;
let clientA: OpenAI;

beforeAll(async () => {
  sim = await startUpstreamSimulator();
  dir = makeTempDir();
  const input: RightsizeConfigInput = {
    server: {
      port: 0,
      logLevel: "silent",
      apiKeys: [
        { id: "team-a", key: KEY_A },
        { id: "team-b", key: KEY_B },
      ],
    },
    models: [
      {
        id: "small",
        provider: "openai-compatible",
        model: "sim-small",
        baseUrl: sim.baseUrl,
        price: { input: 0.1, output: 0.2 },
        tier: "small",
      },
      {
        id: "large",
        provider: "openai-compatible",
        model: "sim-large",
        baseUrl: sim.baseUrl,
        price: { input: 5, output: 15 },
        tier: "large",
      },
    ],
    routers: [{ id: "rightsize/auto", kind: "fixed", targets: ["small"], fallbacks: ["large"] }],
    storage: { path: dir.file("log.db") },
  };
  const config = parseGatewayConfig(input, { env: {} });
  store = await SqliteRequestLogStore.open(dir.file("log.db"));
  gateway = await startGateway({ config, store, port: 0, host: "127.0.0.1" });
  clientA = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY_A, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await sim.close();
  dir.remove();
});

async function postFeedback(body: unknown, key = KEY_A): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/v1/feedback`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function chat(headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Promise<string> {
  const { response } = await clientA.chat.completions
    .create({ model: "rightsize/auto", messages: [{ role: "user", content: "hello" }], ...extra }, { headers })
    .withResponse();
  return response.headers.get("x-request-id") as string;
}

describe("request identity and POST /v1/feedback", () => {
  it("stores the episode id and the tags (header and metadata) with the request", async () => {
    const id = await chat({ "x-rightsize-episode": "ep-42", "x-rightsize-tags": "team=search, beta" }, { metadata: { app: "docs" } });
    const row = await store.findRequest(id);
    expect(row).toMatchObject({ id, episodeId: "ep-42", tags: ["app=docs", "beta", "team=search"], callerId: "team-a" });
  });

  it("refuses a bad episode header with 400 naming it", async () => {
    await expect(
      clientA.chat.completions.create(
        { model: "rightsize/auto", messages: [{ role: "user", content: "hi" }] },
        { headers: { "x-rightsize-episode": "x".repeat(300) } },
      ),
    ).rejects.toMatchObject({
      status: 400,
      param: "x-rightsize-episode",
    });
  });

  it("accepts feedback sent right after the answer, before the log row was flushed, and keeps the history", async () => {
    const id = await chat();
    const first = await postFeedback({ request_id: id, metric: "helpful", value: false });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ object: "feedback", request_id: id, metric: "helpful", value: false, source: "user" });
    const second = await postFeedback({ request_id: id, metric: "helpful", value: 0.9, comment: "fine after all", source: "reviewer" });
    expect(second.status).toBe(200);
    expect((await store.listFeedback({ requestId: id })).map((f) => f.value)).toEqual([0.9]);
    const history = await store.listFeedback({ requestId: id, history: true });
    expect(history.map((f) => [f.value, f.source, f.callerId])).toEqual([
      [false, "user", "team-a"],
      [0.9, "reviewer", "team-a"],
    ]);
  });

  it("accepts feedback on a streamed answer sent the moment the stream ends", async () => {
    const { data: stream, response } = await clientA.chat.completions
      .create({ model: "rightsize/auto", stream: true, messages: [{ role: "user", content: "stream please" }] })
      .withResponse();
    for await (const _chunk of stream) {
      // read to the end
    }
    const id = response.headers.get("x-request-id") as string;
    const result = await postFeedback({ request_id: id, metric: "correct", value: true, demonstration: "The corrected answer." });
    expect(result.status).toBe(200);
    expect((await store.listFeedback({ requestId: id }))[0]?.demonstration).toBe("The corrected answer.");
  });

  it("accepts feedback on a whole episode of the caller's", async () => {
    await chat({ "x-rightsize-episode": "task-7" });
    const result = await postFeedback({ episode_id: "task-7", metric: "task_done", value: "partially" });
    expect(result.status).toBe(200);
    expect((await store.listFeedback({ episodeId: "task-7" })).map((f) => f.value)).toEqual(["partially"]);
  });

  it("answers 404 for an unknown id and for another key's request, and stores nothing", async () => {
    const id = await chat({ "x-rightsize-episode": "ep-a-only" });
    const unknown = await postFeedback({ request_id: "no-such-request", metric: "helpful", value: true });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { param: "request_id", code: "request_not_found" } });
    const foreign = await postFeedback({ request_id: id, metric: "helpful", value: true }, KEY_B);
    expect(foreign.status).toBe(404);
    const foreignEpisode = await postFeedback({ episode_id: "ep-a-only", metric: "helpful", value: true }, KEY_B);
    expect(foreignEpisode).toMatchObject({ status: 404, json: { error: { param: "episode_id" } } });
    expect(await store.listFeedback({ requestId: id })).toEqual([]);
  });

  it("answers 400 with the param for bad values and stores nothing", async () => {
    const id = await chat();
    const cases: [unknown, string][] = [
      [{ request_id: id, metric: "helpful", value: 1.5 }, "value"],
      [{ request_id: id, metric: "helpful" }, "value"],
      [{ request_id: id, metric: "helpful", value: { a: 1 } }, "value"],
      [{ request_id: id, value: true }, "metric"],
      [{ request_id: id, metric: "has space", value: true }, "metric"],
      [{ metric: "helpful", value: true }, "request_id"],
      [{ request_id: id, episode_id: "e", metric: "helpful", value: true }, "request_id"],
      [{ request_id: id, metric: "helpful", value: true, source: "robot" }, "source"],
      [{ request_id: id, metric: "helpful", value: true, comment: 7 }, "comment"],
      [{ request_id: id, metric: "helpful", value: true, rating: 5 }, "rating"],
    ];
    for (const [body, param] of cases) {
      const result = await postFeedback(body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.json).toMatchObject({ error: { type: "invalid_request_error", param, code: "invalid_feedback" } });
    }
    expect(await store.listFeedback({ requestId: id })).toEqual([]);
  });

  it("needs a client key like chat does", async () => {
    const response = await fetch(`${gateway.url}/v1/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request_id: "x", metric: "m", value: true }),
    });
    expect(response.status).toBe(401);
  });
});
