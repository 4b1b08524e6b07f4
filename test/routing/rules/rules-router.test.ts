import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load-config.js";
import type { ChatRequest } from "../../../src/core/chat-request.js";
import { createRouter, RouterSettingsError } from "../../../src/routing/router-registry.js";

const config = parseConfig({
  models: [
    { id: "small", provider: "openai-compatible", model: "s", baseUrl: "http://x/v1", price: { input: 0.1, output: 0.1 } },
    { id: "large", provider: "openai-compatible", model: "l", baseUrl: "http://x/v1", price: { input: 5, output: 15 } },
  ],
});
const context = { models: config.models, configDir: "." };

async function rules(settings: Record<string, unknown>) {
  return createRouter({ id: "auto", kind: "rules", settings, targets: [], fallbacks: ["large"] }, context);
}
const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "auto",
  messages: [{ role: "user", content: text }],
  ...extra,
});

describe("rules router", () => {
  it("takes the first matching rule and explains it", async () => {
    const router = await rules({
      default: "small",
      rules: [
        { name: "code", when: { hasCode: true }, target: "large" },
        { name: "proofs", when: { regex: "(?i)prove" }, target: "large" },
      ],
    });
    const decision = await router.decide(ask("Please PROVE that 2 is prime"), { headers: {} });
    expect(decision).toMatchObject({ target: "large", score: 1 });
    expect(decision.reason).toContain('rule "proofs" matched');
    expect(await router.decide(ask("hello there"), { headers: {} })).toMatchObject({ target: "small", score: 0 });
  });

  it("matches prompt tokens, turns, tools, JSON output, keywords and headers", async () => {
    const router = await rules({
      default: "small",
      rules: [
        { when: { minPromptTokens: 100 }, target: "large", score: 0.9 },
        { when: { minTurns: 2 }, target: "large", score: 0.8 },
        { when: { hasTools: true }, target: "large", score: 0.7 },
        { when: { jsonOutput: true }, target: "large", score: 0.6 },
        { when: { keywords: ["Theorem"] }, target: "large", score: 0.5 },
        { when: { header: { "X-Rightsize-Tier": "large" } }, target: "large", score: 0.4 },
      ],
    });
    const score = async (request: ChatRequest, headers: Record<string, string> = {}) => (await router.decide(request, { headers })).score;
    expect(await score(ask("x".repeat(800)))).toBe(0.9);
    expect(
      await score({
        model: "auto",
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b" },
          { role: "user", content: "c" },
        ],
      }),
    ).toBe(0.8);
    expect(await score(ask("a", { tools: [{ type: "function", function: { name: "f" } }] }))).toBe(0.7);
    expect(await score(ask("a", { response_format: { type: "json_object" } }))).toBe(0.6);
    expect(await score(ask("a theorem about primes"))).toBe(0.5);
    expect(await score(ask("a"), { "x-rightsize-tier": "large" })).toBe(0.4);
    expect(await score(ask("a"))).toBe(0);
  });

  it("combines conditions with all, any and not", async () => {
    const router = await rules({
      default: "small",
      rules: [{ when: { all: [{ keywords: ["sql"] }, { not: { hasTools: true } }] }, target: "large" }],
    });
    expect((await router.decide(ask("write sql"), { headers: {} })).target).toBe("large");
    const withTools = ask("write sql", { tools: [{ type: "function", function: { name: "f" } }] });
    expect((await router.decide(withTools, { headers: {} })).target).toBe("small");
  });

  it("rejects unknown targets and bad regexes with the settings path", async () => {
    await expect(rules({ default: "tiny" })).rejects.toMatchObject({ path: "settings.default" });
    const error = await rules({ default: "small", rules: [{ when: { regex: "(" }, target: "large" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterSettingsError);
    expect((error as RouterSettingsError).path).toBe("settings.rules[0].when.regex");
    await expect(rules({ default: "small", rules: [{ when: { bogus: 1 }, target: "large" }] })).rejects.toMatchObject({
      path: "settings.rules[0].when",
    });
  });
});
