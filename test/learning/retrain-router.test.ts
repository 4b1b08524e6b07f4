import path from "node:path";
import { describe, expect, it } from "vitest";
import { ArtifactHistory } from "../../src/learning/artifact-history.js";
import type { OutcomeRow } from "../../src/learning/outcomes/outcome-row.js";
import { retrainRouter, trainKind } from "../../src/learning/retrain/retrain-router.js";
import { PriceTable } from "../../src/pricing/price-table.js";
import { artifactVersion } from "../../src/routing/artifact-version.js";
import { tempDir } from "../routing/support/shared-slice.js";
import { familyPrompt, writeFamilyArtifact, writeOppositeArtifact } from "../support/opposite-artifacts.js";

const prices = new PriceTable([
  { id: "small", price: { input: 0.1, output: 0.2 } },
  { id: "large", price: { input: 5, output: 15 } },
]);

/** Logged traffic as outcome rows: families A and B the small model answers well, C it does not. */
function familyRows(count: number, offset = 0): OutcomeRow[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    const family = (["A", "B", "C"] as const)[i % 3] ?? "A";
    return {
      id: `log-${i}`,
      prompt: familyPrompt(family, i),
      category: family,
      outcomes: {
        small: { score: family === "C" ? 0.1 : 0.9, output_chars: 200 },
        large: { score: 0.95, output_chars: 200 },
      },
      extras: {},
    };
  });
}

/** The same rows with every model's scores moved to another row: a router trained on it learns noise. */
function shuffledLabels(rows: OutcomeRow[]): OutcomeRow[] {
  return rows.map((row, i) => ({ ...row, outcomes: rows[(i * 7 + 3) % rows.length]?.outcomes ?? row.outcomes }));
}

describe("retrain", () => {
  it("promotes a retrained router that is not worse than the calibrated serving one at the same operating point", async () => {
    const file = path.join(tempDir("retrain-same"), "router.json");
    await writeFamilyArtifact(file);
    const result = await retrainRouter({
      history: new ArtifactHistory(file),
      rows: familyRows(360),
      prices,
      target: { kind: "large-share", value: 0.45 },
      margin: 0.01,
      seed: 1,
      resamples: 200,
      train: trainKind("knn"),
      dataFile: "test rows",
    });
    expect(result.verdict.reason).toMatch(/^not worse: quality [+-]0\.\d{4} \(95% .*\) ≥ −0\.01$/);
    expect(result.promoted).toBe(true);
    expect(Math.abs(result.comparison.delta.quality.value)).toBeLessThan(0.01);
    expect(result.comparison.new.largeShare.value).toBeLessThan(0.45);
  });

  it("promotes a candidate over a naive serving router that cannot meet the target, with lineage", async () => {
    const file = path.join(tempDir("retrain"), "router.json");
    await writeOppositeArtifact(file, "large"); // serving: everything to the large model, uncalibrated
    const history = new ArtifactHistory(file);
    const before = await artifactVersion(file);
    const result = await retrainRouter({
      history,
      rows: familyRows(360),
      prices,
      target: { kind: "large-share", value: 0.4 },
      margin: 0.01,
      seed: 1,
      resamples: 200,
      train: trainKind("knn"),
      dataFile: "test rows",
    });
    expect(result.rows).toMatchObject({ usable: 360, skipped: 0 });
    expect(result.rows.holdout).toBeGreaterThanOrEqual(60);
    expect(result.verdict.promote).toBe(true);
    expect(result.verdict.reason).toMatch(/the serving router cannot meet large-share=0.4 on the calibration rows and the candidate can/);
    expect(result.promoted).toBe(true);
    expect(result.parent).toBe(before);
    expect(await artifactVersion(file)).toBe(result.version);
    // At a third of requests to the large model, the new router spends them on family C.
    expect(result.comparison.new.quality.value).toBeGreaterThan(0.85);
    const lineage = await history.entries();
    expect(lineage.map((entry) => entry.event)).toEqual(["adopted", "promoted"]);
    expect(lineage[1]).toMatchObject({ parent: before, rows: result.rows.train });
    expect(lineage[1]?.metrics?.holdoutRows).toBe(result.rows.holdout);
  });

  it("refuses a deliberately worse candidate (trained on shuffled labels) and keeps the serving router", async () => {
    const file = path.join(tempDir("retrain-worse"), "router.json");
    await writeFamilyArtifact(file);
    const history = new ArtifactHistory(file);
    const serving = await artifactVersion(file);
    const worse = await trainKind("knn")(shuffledLabels(familyRows(240, 1000)), { models: ["small", "large"], seed: 2 });
    const result = await retrainRouter({
      history,
      rows: familyRows(360),
      prices,
      margin: 0.01,
      seed: 1,
      resamples: 200,
      candidate: worse.artifact,
      dataFile: "test rows",
    });
    expect(result.target).toEqual({ kind: "large-share", value: 1 / 3 });
    expect(result.verdict.promote).toBe(false);
    expect(result.verdict.reason).toMatch(/^worse: quality -0\.\d+ .* is below the margin −0\.01$/);
    expect(result.comparison.delta.quality.high).toBeLessThan(0);
    expect(await artifactVersion(file)).toBe(serving);
    expect((await history.entries()).map((entry) => entry.event)).toEqual(["adopted", "refused"]);
  });

  it("names what is missing when too few rows carry outcomes for the router's models", async () => {
    const file = path.join(tempDir("retrain-few"), "router.json");
    await writeFamilyArtifact(file);
    const rows = familyRows(40).map((row, i) => (i % 2 === 0 ? { ...row, outcomes: { small: row.outcomes.small! } } : row));
    await expect(retrainRouter({ history: new ArtifactHistory(file), rows, prices, margin: 0.01, seed: 1, dataFile: "x" })).rejects.toThrow(
      /only \d+ held-out rows with outcomes for small and large \(of 20 usable, 40 in all\); a verdict needs at least 30/,
    );
  });
});
