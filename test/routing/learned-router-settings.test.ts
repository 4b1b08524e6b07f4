import { writeFileSync } from "node:fs";
import { PriceTable } from "../../src/pricing/price-table.js";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ModelConfig } from "../../src/config/config-schema.js";
import { promptRequest } from "../../src/routing/features/request-feature-text.js";
import { toArtifact, trainPredictor } from "../../src/learning/training/train-predictor.js";
import type { RouterArtifact } from "../../src/routing/learned/quality-predictor.js";
import { createRouter, RouterSettingsError } from "../../src/routing/router-registry.js";
import { sharedSlice, tempDir } from "./support/shared-slice.js";

const trio = ["Phi-3-mini-4k-instruct", "Meta-Llama-3.1-70B-Instruct", "gpt-4o-2024-05-13"];
const configModels = trio.map(
  (id) =>
    ({
      id,
      provider: "openai-compatible",
      model: id,
      baseUrl: "http://127.0.0.1:1/v1",
      price: { input: 0, output: 0 },
    }) as unknown as ModelConfig,
);
const prices = {
  [trio[0] ?? ""]: { input: 0.1, output: 0.1 },
  [trio[1] ?? ""]: { input: 0.88, output: 0.88 },
  [trio[2] ?? ""]: { input: 5, output: 15 },
};
let dir = "";
let artifact: RouterArtifact;

beforeAll(async () => {
  const rows = await sharedSlice("mmlupro_outcomes.jsonl", { dropVersionConflict: true, limit: 200 });
  const predictor = await trainPredictor("knn", rows, { models: trio, seed: 1, settings: { features: { tfidf: { dims: 4096 } } } });
  artifact = toArtifact(
    predictor,
    { dataFile: "s", dataSha256: "x", rows: rows.length, seed: 1, validation: {} },
    PriceTable.fromRecord(prices),
  );
  dir = tempDir("settings");
  writeFileSync(path.join(dir, "three.json"), JSON.stringify(artifact));
});

async function buildError(settings: Record<string, unknown>, kind = "knn"): Promise<RouterSettingsError> {
  const error = await createRouter({ id: "r", kind, settings, targets: [], fallbacks: [] }, { models: configModels, configDir: dir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RouterSettingsError);
  return error as RouterSettingsError;
}

describe("learned router settings", () => {
  it("routes N models by quality − λ·cost: λ = 0 picks quality, a huge λ the cheapest model", async () => {
    const request = promptRequest("What is the derivative of x^2 sin x? Options: A. 2x sin x + x^2 cos x B. 2x cos x");
    const make = (lambda: number) =>
      createRouter(
        { id: "r", kind: "knn", settings: { artifact: "three.json", lambda }, targets: [], fallbacks: [] },
        { models: configModels, configDir: dir },
      );
    const greedy = await (await make(0)).decide(request, { headers: {} });
    const qualities = greedy.details?.qualities as Record<string, number>;
    const best = Object.entries(qualities).reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    expect(greedy.target).toBe(best);
    const frugal = await (await make(1e6)).decide(request, { headers: {} });
    expect(frugal.target).toBe(trio[0]);
    expect(frugal.score).toBeLessThan(0.05);
    expect(frugal.reason).toMatch(/argmax quality/);
  });

  it("kind learned loads an artifact of any kind (what train --router auto chose)", async () => {
    const router = await createRouter(
      { id: "r", kind: "learned", settings: { artifact: "three.json", lambda: 0 }, targets: [], fallbacks: [] },
      { models: configModels, configDir: dir },
    );
    const decision = await router.decide(promptRequest("What is 2 + 2?"), { headers: {} });
    expect(trio).toContain(decision.target);
    expect(decision.reason).toMatch(/knn/);
  });

  it("follows a calibrated fallback to the best single model", async () => {
    writeFileSync(
      path.join(dir, "single.json"),
      JSON.stringify({
        ...artifact,
        calibration: {
          target: { kind: "quality-floor", value: 1 },
          policy: { kind: "single", model: trio[1] },
          expected: {},
          calibratedAt: "2026-01-01T00:00:00Z",
          rows: 10,
        },
      }),
    );
    const router = await createRouter(
      { id: "r", kind: "knn", settings: { artifact: "single.json" }, targets: [], fallbacks: [] },
      { models: configModels, configDir: dir },
    );
    const decision = await router.decide(promptRequest("What is 2 + 2?"), { headers: {} });
    expect(decision.target).toBe(trio[1]);
    expect(decision.reason).toMatch(/best single model \(routing did not pay\)/);
  });

  it("names settings.artifact for a missing file", async () => {
    const error = await buildError({ artifact: "nope.json" });
    expect(error.path).toBe("settings.artifact");
    expect(error.message).toMatch(/nope\.json.*ENOENT/);
  });

  it("names settings.artifact for a wrong version or format", async () => {
    writeFileSync(path.join(dir, "v2.json"), JSON.stringify({ ...artifact, version: 2 }));
    expect((await buildError({ artifact: "v2.json" })).message).toMatch(/version/);
    writeFileSync(path.join(dir, "other.json"), JSON.stringify({ hello: "world" }));
    expect((await buildError({ artifact: "other.json" })).message).toMatch(/format/);
    writeFileSync(path.join(dir, "broken.json"), "{");
    expect((await buildError({ artifact: "broken.json" })).path).toBe("settings.artifact");
  });

  it("refuses an artifact of another kind", async () => {
    expect((await buildError({ artifact: "three.json" }, "linear")).message).toMatch(/"knn" router/);
  });

  it("refuses an artifact model that maps to no configured model", async () => {
    const error = await buildError({ artifact: "three.json", models: { [trio[0] ?? ""]: "missing-model" } });
    expect(error.path).toBe("settings.models");
  });

  it("refuses a threshold for an N-model artifact", async () => {
    expect((await buildError({ artifact: "three.json", threshold: 0.5 })).path).toBe("settings.threshold");
  });
});
