import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

async function stream(model: string) {
  const response = await request(`${t.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", te: "trailers" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "tell me" }], stream: true }),
  });
  const text = await response.body.text();
  return { headers: response.headers, trailers: response.trailers, text };
}

describe("a streamed answer ends with trailers that say what it cost", () => {
  it("announces the trailers and sends the cost over every attempt", async () => {
    t.sim.script({ content: "one two three", promptTokens: 10, completionTokens: 3 });
    const { headers, trailers, text } = await stream("rightsize/small-first");
    expect(text).toContain("data: [DONE]");
    expect(headers.trailer).toContain("x-rightsize-cost-usd");
    expect(Number(trailers["x-rightsize-cost-usd"])).toBeCloseTo((10 * 0.1 + 3 * 0.2) / 1e6, 12);
    expect(trailers["x-rightsize-final-attempts"]).toBe("1");
    expect(trailers["x-rightsize-final-model"]).toBe("small");
  });

  it("names the model that finished a rescued stream", async () => {
    t.sim.scriptFor("sim-small", { content: "alpha beta gamma delta epsilon zeta eta theta", fault: "cut", afterTokens: 3 });
    const { headers, trailers, text } = await stream("rightsize/small-first");
    expect(headers["x-rightsize-model"]).toBe("small");
    expect(text).toContain("data: [DONE]");
    expect(trailers["x-rightsize-final-model"]).toBe("large");
    expect(Number(trailers["x-rightsize-final-attempts"])).toBeGreaterThanOrEqual(2);
    expect(Number(trailers["x-rightsize-cost-usd"])).toBeGreaterThan(0);
  });
});
