import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../../support/start-test-gateway.js";
import { storiesPath } from "../../../providers/llama-cpp/support/stories-model.js";

/**
 * The confidence gate on real token logprobs from the local llama-cpp model (stories260K) as
 * the first tier, with the simulator's large model behind it. Pass criterion: the gate's
 * verdict is computed from the local model's logprobs (recorded in the attempt note) and
 * decides who serves, JSON and streaming.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({
    edit: (config) => {
      config.models.push({
        id: "stories",
        provider: "llama-cpp",
        model: storiesPath,
        contextSize: 512,
        threads: 1,
        price: { input: 0, output: 0 },
      });
      const cascade = (id: string, minMeanLogprob: number, extra: Record<string, unknown> = {}) => ({
        id,
        kind: "cascade",
        targets: ["stories", "large"],
        settings: { tiers: ["stories", "large"], gate: { kind: "confidence", minMeanLogprob, ...extra } },
      });
      config.routers = [
        ...(config.routers ?? []),
        cascade("cascade/lenient", -50),
        cascade("cascade/strict", -0.001),
        cascade("cascade/early", -50, { earlyTokens: 4 }),
      ];
    },
  });
}, 60_000);
afterAll(async () => t.close());

const ask = (model: string) => ({
  model,
  messages: [{ role: "user" as const, content: "Once upon a time" }],
  temperature: 0,
  max_tokens: 12,
});

describe("confidence from the local model's logprobs", () => {
  it("a lenient threshold keeps the local answer; the note carries its real mean logprob", async () => {
    const { data, response } = await t.client.chat.completions.create(ask("cascade/lenient")).withResponse();
    expect(response.headers.get("x-rightsize-model")).toBe("stories");
    expect(data.choices[0]?.logprobs ?? null).toBeNull();
    await t.store.flush();
    const [row] = await t.store.list({ limit: 1 });
    const mean = Number(/mean logprob (-?\d+\.\d+)/.exec(row?.attempts[0]?.note ?? "")?.[1]);
    expect(mean).toBeLessThan(0);
    expect(mean).toBeGreaterThan(-50);
  });

  it("a strict threshold escalates to the large model", async () => {
    const { response } = await t.client.chat.completions.create(ask("cascade/strict")).withResponse();
    expect(response.headers.get("x-rightsize-model")).toBe("large");
    expect(response.headers.get("x-rightsize-cascade")).toBe("last-tier; tier=2/2");
  });

  it("streams: the local stream is released after 4 confident tokens and finishes live", async () => {
    const whole = await t.client.chat.completions.create(ask("stories"));
    const { data, response } = await t.client.chat.completions.create({ ...ask("cascade/early"), stream: true }).withResponse();
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? "";
    expect(response.headers.get("x-rightsize-cascade")).toBe("accepted; tier=1/2; early");
    expect(text).toBe(whole.choices[0]?.message.content);
  });
});
