import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { simText } from "../../../support/sim-scenario.js";
import { startTestGateway, type TestGateway } from "../../../support/start-test-gateway.js";

/**
 * Streaming cascades through the real gateway, the simulator (which returns logprobs when
 * asked) and the official client. Pass criterion: the client sees exactly one answer — the
 * accepted tier's — never a mix of two; headers and the request log say what happened.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config) => {
      config.server = { ...config.server, timeouts: { requestMs: 4_000, attemptMs: 1_000, firstTokenMs: 300, idleStreamMs: 300 } };
      config.routers = [
        ...(config.routers ?? []),
        {
          id: "cascade/held",
          kind: "cascade",
          targets: ["small", "large"],
          settings: { gate: { kind: "confidence", minMeanLogprob: -0.5 } },
        },
        {
          id: "cascade/early",
          kind: "cascade",
          targets: ["small", "large"],
          settings: { gate: { kind: "confidence", minMeanLogprob: -0.5, earlyTokens: 5 }, stream: { holdMs: 200 } },
        },
      ];
    },
  });
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

async function read(model: string, logprobs = false) {
  const { data, response } = await t.client.chat.completions
    .create({ model, messages: [{ role: "user", content: "hi" }], stream: true, logprobs })
    .withResponse();
  let text = "";
  let finish: string | null = null;
  let sawLogprobs = false;
  for await (const chunk of data) {
    text += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.choices[0]?.logprobs) sawLogprobs = true;
  }
  return {
    text,
    finish,
    sawLogprobs,
    cascade: response.headers.get("x-rightsize-cascade"),
    model: response.headers.get("x-rightsize-model"),
  };
}

describe("held streams (the default)", () => {
  it("a confident small answer is released whole, without the logprobs the cascade asked for", async () => {
    t.sim.scriptFor("sim-small", { content: "Small and sure.", logprob: -0.05 });
    const r = await read("cascade/held");
    expect(r).toMatchObject({ text: "Small and sure.", finish: "stop", sawLogprobs: false, cascade: "accepted; tier=1/2", model: "small" });
    expect((t.sim.requests[0]!.body as { logprobs?: boolean }).logprobs).toBe(true);
  });

  it("an unsure small answer is never shown: the client gets only the large answer", async () => {
    t.sim.scriptFor("sim-small", { content: "Small but unsure.", logprob: -2 });
    t.sim.scriptFor("sim-large", { content: "Large and right." });
    const r = await read("cascade/held");
    expect(r).toMatchObject({ text: "Large and right.", finish: "stop", cascade: "last-tier; tier=2/2", model: "large" });
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.attempts.map((a) => [a.model, a.step, a.outcome])).toEqual([
      ["small", "cascade", "ok"],
      ["large", "cascade", "ok"],
    ]);
    expect(row?.attempts[0]?.note).toMatch(/^gate fail: confidence/);
    expect(row?.answer).toBe("Large and right.");
  });

  it("the client's own logprobs request is honoured", async () => {
    t.sim.scriptFor("sim-small", { content: "Sure.", logprob: -0.05 });
    const r = await read("cascade/held", true);
    expect(r.sawLogprobs).toBe(true);
  });
});

describe("early decisions on the first tokens", () => {
  it("a confident start releases the stream early and the rest follows live", async () => {
    const full = simText(40);
    t.sim.scriptFor("sim-small", { content: full, logprob: -0.05, chunkDelayMs: 2 });
    const r = await read("cascade/early");
    expect(r).toMatchObject({ text: full, finish: "stop", cascade: "accepted; tier=1/2; early", model: "small", sawLogprobs: false });
  });

  it("an unsure start abandons the small stream at once and the large answer is streamed", async () => {
    t.sim.scriptFor("sim-small", { content: simText(40), logprob: -3, chunkDelayMs: 5 });
    t.sim.scriptFor("sim-large", { content: "Large answer." });
    const r = await read("cascade/early");
    expect(r).toMatchObject({ text: "Large answer.", finish: "stop", cascade: "last-tier; tier=2/2" });
    const small = t.sim.requests.find((q) => q.model === "sim-small");
    if (!small) throw new Error("small tier not called");
    expect((await t.sim.whenClosed(small)).disconnected).toBe(true);
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.attempts[0]).toMatchObject({ model: "small", partial: true, note: expect.stringMatching(/^gate fail \(early\)/) });
  });

  it("a tier still undecided when the hold window ends is abandoned", async () => {
    t.sim.scriptFor("sim-small", { content: simText(3), logprob: -0.05, firstTokenDelayMs: 0, chunkDelayMs: 150 });
    t.sim.scriptFor("sim-large", { content: "Large answer." });
    const r = await read("cascade/early");
    expect(r.text).toBe("Large answer.");
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.attempts[0]?.note).toContain("hold window");
  });

  it("a tier whose held stream breaks is escalated without the client seeing any of it", async () => {
    t.sim.scriptFor("sim-small", { content: simText(40), logprob: -0.05, fault: "cut", afterTokens: 3 });
    t.sim.scriptFor("sim-large", { content: "Large answer." });
    const r = await read("cascade/held");
    expect(r).toMatchObject({ text: "Large answer.", finish: "stop" });
  });
});

describe("non-streamed through the gateway", () => {
  it("says how the cascade ended in x-rightsize-cascade and counts every step in x-rightsize-attempts", async () => {
    t.sim.scriptFor("sim-small", { content: "meh", logprob: -2 });
    const { data, response } = await t.client.chat.completions
      .create({ model: "cascade/held", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(data.model).toBe("sim-large");
    expect(response.headers.get("x-rightsize-cascade")).toBe("last-tier; tier=2/2");
    expect(response.headers.get("x-rightsize-attempts")).toBe("2");
    expect(data.choices[0]?.logprobs ?? null).toBeNull();
  });
});

describe("a client that leaves while a tier is held", () => {
  it("cancels the held upstream stream and logs one 499 row", async () => {
    t.sim.scriptFor("sim-small", { content: simText(40), logprob: -0.05, chunkDelayMs: 20 });
    await t.store.flush();
    const before = await t.store.count();
    const controller = new AbortController();
    const pending = t.client.chat.completions
      .create({ model: "cascade/held", messages: [{ role: "user", content: "hi" }], stream: true }, { signal: controller.signal })
      .catch((e: unknown) => e);
    const [small] = await t.sim.waitForRequests(1);
    if (!small) throw new Error("no upstream request");
    controller.abort();
    await pending;
    expect((await t.sim.whenClosed(small)).disconnected).toBe(true);
    await vi.waitFor(async () => {
      await t.store.flush();
      expect(await t.store.count()).toBe(before + 1);
    });
    const [row] = await t.store.list({ limit: 1 });
    expect(row?.status).toBe(499);
    expect(t.sim.requests.filter((r) => r.model === "sim-large")).toHaveLength(0);
  });
});
