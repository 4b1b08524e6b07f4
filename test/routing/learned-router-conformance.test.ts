import { writeFileSync } from "node:fs";
import { PriceTable } from "../../src/pricing/price-table.js";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ModelConfig } from "../../src/config/config-schema.js";
import type { ChatRequest } from "../../src/core/chat-request.js";
import { promptRequest } from "../../src/routing/features/request-feature-text.js";
import type { LearnedPredictor } from "../../src/routing/learned/learned-predictor.js";
import type { OutcomeRow } from "../../src/learning/outcomes/outcome-row.js";
import { loadPredictor } from "../../src/routing/learned/predictor-registry.js";
import { trainableKinds, toArtifact, trainPredictor } from "../../src/learning/training/train-predictor.js";
import { parseRouterArtifact } from "../../src/routing/learned/router-artifact-schema.js";
import { createRouter } from "../../src/routing/router-registry.js";
import { gpt4, gsm8kSlice, mixtral, tempDir } from "./support/shared-slice.js";

const models = [mixtral, gpt4];
const settings = { epochs: 2, features: { tfidf: { dims: 4096 } } };
const configModels = ["small-model", "large-model"].map(
  (id) =>
    ({
      id,
      provider: "openai-compatible",
      model: id,
      baseUrl: "http://127.0.0.1:1/v1",
      price: { input: 0, output: 0 },
    }) as unknown as ModelConfig,
);
const conversation: ChatRequest = {
  model: "rightsize/auto",
  messages: [
    { role: "system", content: "You are a careful math tutor." },
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello! What should we solve?" },
    { role: "user", content: "A train goes 60 km in 45 minutes. What is its speed in km/h?" },
  ],
  tools: [{ type: "function", function: { name: "calculator" } }],
};

let rows: OutcomeRow[] = [];
beforeAll(async () => {
  rows = await gsm8kSlice(160);
});

async function predictions(predictor: LearnedPredictor, requests: readonly ChatRequest[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const request of requests) out.push((await predictor.predict(request)).qualities);
  return out;
}

describe.each(trainableKinds())("learned router conformance: %s", (kind) => {
  const probes = (): ChatRequest[] => [conversation, ...rows.slice(0, 5).map((row) => promptRequest(row.prompt))];

  it("trains deterministically for a seed", async () => {
    const a = await trainPredictor(kind, rows, { models, seed: 3, settings });
    const b = await trainPredictor(kind, rows, { models, seed: 3, settings });
    expect(JSON.stringify(a.toParams())).toBe(JSON.stringify(b.toParams()));
    expect(await predictions(a, probes())).toEqual(await predictions(b, probes()));
  });

  it("predicts qualities in [0,1] with an explanation, for a whole conversation too", async () => {
    const predictor = await trainPredictor(kind, rows, { models, seed: 1, settings });
    for (const request of probes()) {
      const prediction = await predictor.predict(request);
      expect(prediction.qualities).toHaveLength(2);
      for (const q of prediction.qualities) expect(q >= 0 && q <= 1).toBe(true);
      expect(prediction.explanation.length).toBeGreaterThan(10);
    }
  });

  it("round-trips its artifact through JSON", async () => {
    const predictor = await trainPredictor(kind, rows, { models, seed: 1, settings });
    const artifact = toArtifact(predictor, { dataFile: "slice.jsonl", dataSha256: "x", rows: rows.length, seed: 1, validation: {} });
    const loaded = loadPredictor(parseRouterArtifact(JSON.parse(JSON.stringify(artifact))));
    expect(loaded.kind).toBe(kind);
    expect(await predictions(loaded, probes())).toEqual(await predictions(predictor, probes()));
  });

  it("loads through the gateway factory, maps models and decides with score, target and reason", async () => {
    const predictor = await trainPredictor(kind, rows, { models, seed: 1, settings });
    const dir = tempDir("conformance");
    writeFileSync(
      path.join(dir, "router.json"),
      JSON.stringify(
        toArtifact(
          predictor,
          { dataFile: "s", dataSha256: "x", rows: 1, seed: 1, validation: {} },
          PriceTable.fromRecord({ [mixtral]: { input: 0.6, output: 0.6 }, [gpt4]: { input: 10, output: 30 } }),
        ),
      ),
    );
    const router = await createRouter(
      {
        id: "rightsize/auto",
        kind,
        settings: { artifact: "router.json", models: { [mixtral]: "small-model", [gpt4]: "large-model" } },
        targets: [],
        fallbacks: [],
      },
      { models: configModels, configDir: dir },
    );
    for (const request of probes()) {
      const decision = await router.decide(request, { headers: {} });
      expect(["small-model", "large-model"]).toContain(decision.target);
      expect(decision.score >= 0 && decision.score <= 1).toBe(true);
      expect(decision.reason).toMatch(/threshold/);
      expect(await router.decide(request, { headers: {} })).toEqual(decision);
    }
    const everyLarge = await createRouter(
      {
        id: "r",
        kind,
        settings: { artifact: "router.json", threshold: 0, models: { [mixtral]: "small-model", [gpt4]: "large-model" } },
        targets: [],
        fallbacks: [],
      },
      { models: configModels, configDir: dir },
    );
    expect((await everyLarge.decide(conversation, { headers: {} })).target).toBe("large-model");
  });
});
