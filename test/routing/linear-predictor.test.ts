import { describe, expect, it } from "vitest";
import { toArtifact, trainPredictor } from "../../src/learning/training/train-predictor.js";
import type { OutcomeRow } from "../../src/learning/outcomes/outcome-row.js";
import { promptRequest } from "../../src/routing/features/request-feature-text.js";
import type { LinearPredictor } from "../../src/routing/learned/linear-predictor.js";
import { loadPredictor } from "../../src/routing/learned/predictor-registry.js";
import { parseRouterArtifact } from "../../src/routing/learned/router-artifact-schema.js";

const models = ["small", "large"];
const words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"];
const rows: OutcomeRow[] = Array.from({ length: 120 }, (_, i) => ({
  id: `r${i}`,
  prompt: `${words[i % 8]} ${words[(i * 3) % 8]} question ${"x".repeat(i % 17)}?`,
  category: "c",
  source: "test",
  outcomes: { small: { score: 0.3, output_chars: 100 }, large: { score: 0.8, output_chars: 100 } },
  extras: {},
}));

describe("linear predictor", () => {
  it("fits continuous scores as soft targets, not thresholded to 0/1", async () => {
    const predictor = await trainPredictor("linear", rows, {
      models,
      seed: 1,
      settings: { epochs: 20, features: { tfidf: { dims: 1024 } } },
    });
    const { qualities } = await predictor.predict(promptRequest("alpha beta question?"));
    expect(qualities[0]).toBeCloseTo(0.3, 1);
    expect(qualities[1]).toBeCloseTo(0.8, 1);
  });

  it("weighs the structural block 0.2 by default so it does not outweigh the unit-norm TF-IDF vector", async () => {
    const predictor = (await trainPredictor("linear", rows.slice(0, 20), { models, seed: 1 })) as LinearPredictor;
    expect(predictor.settings.denseWeight).toBe(0.2);
  });

  it("loads an artifact written before denseWeight existed with the dense block unscaled, as it was trained", async () => {
    const predictor = await trainPredictor("linear", rows.slice(0, 40), {
      models,
      seed: 1,
      settings: { denseWeight: 1, features: { tfidf: { dims: 1024 } } },
    });
    const artifact = JSON.parse(
      JSON.stringify(toArtifact(predictor, { dataFile: "s", dataSha256: "x", rows: 40, seed: 1, validation: {} })),
    );
    delete artifact.params.model.settings.denseWeight;
    const loaded = loadPredictor(parseRouterArtifact(artifact));
    const request = promptRequest("gamma delta question xxxxxxx?");
    expect((await loaded.predict(request)).qualities).toEqual((await predictor.predict(request)).qualities);
  });
});
