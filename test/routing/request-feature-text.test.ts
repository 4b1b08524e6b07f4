import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../src/core/chat-request.js";
import { FeatureExtractor, defaultFeatureSpec } from "../../src/routing/features/feature-extractor.js";
import { featureTextLimits, promptRequest, requestFeatureText } from "../../src/routing/features/request-feature-text.js";
import { textStatNames } from "../../src/routing/features/text-stats.js";

const long = (label: string, n: number) => `${label} `.repeat(n);

describe("requestFeatureText", () => {
  it("reduces a long conversation: last user message head+tail, clipped system prompt, recent turns, tool names", () => {
    const request: ChatRequest = {
      model: "m",
      messages: [
        { role: "system", content: long("policy", 500) },
        ...Array.from({ length: 6 }, (_, i) => ({
          role: i % 2 ? ("assistant" as const) : ("user" as const),
          content: `turn${i} ${long("chat", 300)}`,
        })),
        { role: "tool", content: "42", tool_call_id: "c1" },
        { role: "user", content: `START ${long("body", 3000)} END` },
      ],
      tools: [{ type: "function", function: { name: "lookup_weather" } }],
    };
    const text = requestFeatureText(request);
    expect(text.main.length).toBeLessThanOrEqual(featureTextLimits.lastUser + 3);
    expect(text.main.startsWith("START")).toBe(true);
    expect(text.main.endsWith("END")).toBe(true);
    expect(text.context).toMatch(/^system: policy/);
    expect(text.context).not.toContain("turn0");
    expect(text.context).toContain("turn5");
    expect(text.context).toContain("tools: lookup_weather");
    expect(text.shape).toMatchObject({ messages: 9, userTurns: 4, assistantTurns: 3, hasSystem: true, tools: 1, toolMessages: 1 });
  });

  it("gives a request with only text parts the same main text as a plain string", () => {
    const parts: ChatRequest = { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "What is 2+2?" }] }] };
    expect(requestFeatureText(parts).main).toBe(requestFeatureText(promptRequest("What is 2+2?")).main);
  });
});

describe("FeatureExtractor", () => {
  it("serialises its fitted TF-IDF and statistics and gives identical vectors after loading", () => {
    const texts = ["Solve 3x + 5 = 11 for x.", "Write a haiku about autumn.", "```python\ndef f(x): return x\n```\nWhat does f do?"];
    const extractor = FeatureExtractor.fit(
      { ...defaultFeatureSpec, tfidf: { ...defaultFeatureSpec.tfidf, dims: 1024, minDf: 1 } },
      texts.map(promptRequest),
    );
    const loaded = FeatureExtractor.fromParams(JSON.parse(JSON.stringify(extractor.toParams())));
    for (const text of texts) {
      const a = extractor.vector(promptRequest(text));
      const b = loaded.vector(promptRequest(text));
      expect(Array.from(b.sparse.values)).toEqual(Array.from(a.sparse.values));
      expect(Array.from(b.dense)).toEqual(Array.from(a.dense));
      const norm = Array.from(a.sparse.values).reduce((s, v) => s + v * v, 0);
      expect(norm).toBeCloseTo(1, 5);
    }
    expect(extractor.vector(promptRequest("x")).dense).toHaveLength(textStatNames.length);
  });
});
