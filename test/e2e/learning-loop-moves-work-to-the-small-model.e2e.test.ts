import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportOutcomes } from "../../src/learning/export/export-outcomes.js";
import type { OutcomeRow } from "../../src/learning/outcomes/outcome-row.js";
import { trainKind } from "../../src/learning/retrain/retrain-router.js";
import { artifactVersion } from "../../src/routing/artifact-version.js";
import { openRequestLogReader } from "../../src/storage/open-request-log-reader.js";
import { type Family, LearningLoop, type RoundFigures } from "../support/learning-loop.js";

const ORACLE_LARGE_SHARE = 1 / 3; // family C needs the large model; A and B do not
const ALWAYS_LARGE_QUALITY = 1; // the large model answers every family well
let loop: LearningLoop;
let rounds: RoundFigures[];

beforeAll(async () => {
  loop = new LearningLoop();
  await loop.start();
  rounds = await loop.run({ rounds: 3, requestsPerRound: 240, feedbackShare: 0.5, target: "large-share=0.45", seed: 11, concurrency: 4 });
}, 240_000);
afterAll(async () => loop?.close());

describe("the learning loop", () => {
  it("moves work to the small model round over round while judged quality holds", () => {
    const [first, second, last] = rounds;
    expect(first?.largeShare).toBe(1); // the naive router sends everything to the large model
    expect(first?.retrain?.promoted).toBe(true);
    expect(first?.labelledRows).toBeGreaterThanOrEqual(230);
    expect(second?.largeShare).toBeLessThan(first?.largeShare ?? 0);
    expect(Math.abs((last?.largeShare ?? 1) - ORACLE_LARGE_SHARE)).toBeLessThanOrEqual(0.1);
    for (const round of rounds) expect(round.quality).toBeGreaterThanOrEqual(0.95 * ALWAYS_LARGE_QUALITY);
    expect(last?.costPer1k).toBeLessThan((first?.costPer1k ?? 0) / 1.5);
  });

  it("drops no request and logs each once while a promoted router is swapped in under load", () => {
    for (const round of rounds) expect(round.dropped).toBe(0);
  });

  it("refuses a deliberately worse candidate (trained on shuffled labels) and keeps the serving router", async () => {
    const reader = await openRequestLogReader({ kind: "sqlite", file: path.join(loop.dir, "requests.db") });
    const rows: OutcomeRow[] = [];
    await exportOutcomes(reader.exchanges({ servedOnly: false }), (row) => {
      const outcomes: OutcomeRow["outcomes"] = {};
      for (const [model, o] of Object.entries(row.outcomes)) outcomes[model] = { score: o.score, output_chars: o.output_chars ?? 0 };
      rows.push({ id: row.id, prompt: row.prompt, category: row.category, outcomes, extras: {} });
    });
    await reader.close();
    const both = rows.filter((row) => row.outcomes.small && row.outcomes.large);
    const shuffled = both.map((row, i) => ({ ...row, outcomes: both[(i * 7 + 3) % both.length]?.outcomes ?? row.outcomes }));
    const worse = await trainKind("knn")(shuffled, { models: ["small", "large"], seed: 3 });
    const candidate = path.join(loop.dir, "worse.json");
    writeFileSync(candidate, JSON.stringify(worse.artifact));
    const serving = await artifactVersion(loop.artifact);
    const result = await loop.retrain({ target: "large-share=0.45", seed: 11, candidate });
    expect(result.promoted).toBe(false);
    expect(result.verdict.reason).toMatch(/^worse: /);
    expect(await artifactVersion(loop.artifact)).toBe(serving);
  });

  it("raises the drift warning when the traffic mix drifts to family C", async () => {
    const drifted: Family[] = Array.from({ length: 200 }, (_, i) => (i % 5 === 0 ? "A" : "C"));
    await loop.traffic(drifted, { concurrency: 4, feedbackShare: 0, seed: 99 });
    const { warnings } = await loop.status();
    // The window now holds the drifted mix only: 80% family C, so about 80% to the large model.
    const share = warnings
      .map((w) => /^rightsize\/learned: large-model share (\d+\.\d)% .* left its calibration band/.exec(w))
      .find(Boolean);
    expect(share).toBeTruthy();
    expect(Number(share?.[1])).toBeGreaterThanOrEqual(60);
  });
});
