import { describe, expect, it } from "vitest";
import { parseChatRequest } from "../../src/openai/parse-chat-request.js";
import { PriceTable } from "../../src/pricing/price-table.js";
import { estimateCall } from "../../src/server/estimate-call.js";
import { formatResetDuration } from "../../src/server/format-reset-duration.js";
import { rateLimitHeaders } from "../../src/server/key-quotas.js";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";

describe("x-ratelimit reset durations, as OpenAI writes them", () => {
  it.each([
    [0, "0s"],
    [250, "250ms"],
    [999.2, "1s"],
    [1_000, "1s"],
    [1_500, "1.5s"],
    [59_900, "59.9s"],
    [59_950, "1m0s"],
    [60_000, "1m0s"],
    [360_000, "6m0s"],
    [3_723_500, "1h2m3.5s"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });
});

describe("the estimate a request reserves before it runs", () => {
  const config = parseGatewayConfig(
    {
      models: [
        { id: "small", provider: "openai-compatible", model: "s", baseUrl: "http://127.0.0.1:1/v1", price: { input: 1, output: 2 } },
        {
          id: "large",
          provider: "openai-compatible",
          model: "l",
          baseUrl: "http://127.0.0.1:1/v1",
          price: { input: 10, output: 30 },
          defaultMaxTokens: 500,
        },
      ],
      routers: [{ id: "auto", kind: "fixed", targets: ["small"], fallbacks: ["large"] }],
    },
    { env: {} },
  );
  const prices = new PriceTable(config.models);
  const request = (body: Record<string, unknown>) => parseChatRequest({ messages: [{ role: "user", content: "abcdefgh" }], ...body });

  it("prompt + max_tokens on the dearest model a router may reach", () => {
    // prompt: 3 (priming) + 4 (message) + 2 (8 characters) = 9 tokens
    const estimate = estimateCall(config, prices, request({ model: "auto", max_tokens: 100 }));
    expect(estimate.tokens).toBe(109);
    expect(estimate.costUsd).toBeCloseTo((9 * 10 + 100 * 30) / 1e6, 12);
  });

  it("without max_tokens: the model's defaultMaxTokens, else 4,096", () => {
    expect(estimateCall(config, prices, request({ model: "large" })).tokens).toBe(9 + 500);
    expect(estimateCall(config, prices, request({ model: "small" })).tokens).toBe(9 + 4_096);
  });

  it("headers: requests and tokens as OpenAI names them, and the budget", () => {
    const headers = rateLimitHeaders({
      allowed: true,
      shared: true,
      rateLimits: [
        { name: "requests", limit: 60, remaining: 59, resetMs: 120_000 },
        { name: "tokens", limit: 1000, remaining: 891, resetMs: 1_500 },
      ],
      budgets: [{ name: "budget", limitUsd: 5, usedUsd: 1.25, remainingUsd: 3.75, resetsAt: Date.UTC(2026, 11, 3) }],
    });
    expect(headers).toEqual({
      "x-ratelimit-limit-requests": "60",
      "x-ratelimit-remaining-requests": "59",
      "x-ratelimit-reset-requests": "2m0s",
      "x-ratelimit-limit-tokens": "1000",
      "x-ratelimit-remaining-tokens": "891",
      "x-ratelimit-reset-tokens": "1.5s",
      "x-ratelimit-limit-budget-usd": "5",
      "x-ratelimit-remaining-budget-usd": "3.750000",
      "x-ratelimit-reset-budget": "2026-12-03T00:00:00.000Z",
    });
  });
});
