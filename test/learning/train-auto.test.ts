import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { OutcomeRow } from "../../src/learning/outcomes/outcome-row.js";
import { selectRouter } from "../../src/learning/selection/select-router.js";
import { trainPredictor } from "../../src/learning/training/train-predictor.js";
import { SeededRandom } from "../../src/routing/learned/seeded-random.js";
import { parseRouterArtifact } from "../../src/routing/learned/router-artifact-schema.js";
import { runCli } from "../support/run-cli.js";
import { gpt4, gsm8kSlice, mixtral, tempDir, writeRows } from "../routing/support/shared-slice.js";

afterEach(() => {
  process.exitCode = undefined;
});

/** Rows whose scores are coin flips, unrelated to the prompt: nothing to learn. */
function noiseRows(n: number): OutcomeRow[] {
  const random = new SeededRandom(9);
  const words = ["apple", "river", "stone", "cloud", "table", "green", "music", "paper"];
  return Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    prompt: Array.from({ length: 6 }, () => words[random.int(words.length)]).join(" "),
    category: "c",
    source: "test",
    outcomes: { a: { score: random.int(2), output_chars: 50 }, b: { score: random.int(2), output_chars: 50 } },
    extras: {},
  }));
}

describe("rightsize train --router auto", () => {
  it("is the default: cross-validates the candidates, prints the table, stores the choice and its figures, deterministically", async () => {
    const dir = tempDir("train-auto");
    const data = path.join(dir, "slice.jsonl");
    writeRows(data, await gsm8kSlice(150));
    const args = (out: string) => ["train", "--data", data, "--models", `${mixtral},${gpt4}`, "--out", out, "--seed", "5"];
    const out = path.join(dir, "router.json");
    const result = await runCli(...args(out));
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/auto: 3-fold inner cross-validation on 120 rows, apgr \(mean ± sd over folds\):/);
    expect(result.out).toMatch(/→ .+ \d\.\d{3} ± \d\.\d{3}/);
    expect(result.out).toMatch(/auto chose /);
    const artifact = parseRouterArtifact(JSON.parse(readFileSync(out, "utf8")));
    const selection = artifact.training.selection as {
      chosen: { kind: string; name: string };
      table: Array<{ name: string; mean: number; folds: number[] }>;
    };
    expect(selection.chosen.kind).toBe(artifact.kind);
    expect(selection.table.map((row) => row.name)).toContain("random");
    expect(selection.table.length).toBeGreaterThanOrEqual(5);
    for (const row of selection.table) expect(row.folds).toHaveLength(3);
    const best = Math.max(...selection.table.filter((row) => row.name !== "random").map((row) => row.mean));
    expect(selection.table.find((row) => row.name === selection.chosen.name)?.mean).toBe(best);
    const again = path.join(dir, "again.json");
    await runCli(...args(again));
    const strip = (file: string) => ({ ...JSON.parse(readFileSync(file, "utf8")), createdAt: "" });
    expect(strip(again)).toEqual(strip(out));
  });

  it("refuses --settings with auto", async () => {
    const dir = tempDir("train-auto-settings");
    const result = await runCli("train", "--data", path.join(dir, "x.jsonl"), "--models", "a,b", "--out", "o.json", "--settings", "s.json");
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/--settings: not with --router auto/);
  });
});

describe("selectRouter", () => {
  it("never chooses the random baseline", async () => {
    const selection = await selectRouter(noiseRows(90), { models: ["a", "b"], seed: 3, train: trainPredictor });
    expect(selection.table.map((row) => row.name)).toContain("random");
    expect(selection.chosen.kind).not.toBe("random");
  });

  it("warns when no router beats random by more than the fold noise", async () => {
    const selection = await selectRouter(noiseRows(150), { models: ["a", "b"], seed: 1, train: trainPredictor });
    expect(selection.warning).toMatch(/no router beats random by more than the fold noise/);
  });

  it("warns, for N models, when no router beats the best single model by more than the fold noise", async () => {
    const rows = noiseRows(150).map((row) => ({ ...row, outcomes: { ...row.outcomes, c: { score: 1, output_chars: 50 } } }));
    const selection = await selectRouter(rows, { models: ["a", "b", "c"], seed: 1, train: trainPredictor });
    expect(selection.metric).toBe("gain over best single model");
    expect(selection.warning).toMatch(/no router beats the best single model by more than the fold noise/);
  });

  it("stops trying candidates once the time bound is reached and says which", async () => {
    let clock = 0;
    const selection = await selectRouter(noiseRows(60), {
      models: ["a", "b"],
      seed: 1,
      train: trainPredictor,
      timeBudgetMs: 10,
      now: () => (clock += 20),
    });
    expect(selection.table).toHaveLength(1);
    expect(selection.skipped.length).toBeGreaterThan(0);
  });
});
