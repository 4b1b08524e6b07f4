import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { meetsTarget } from "../../src/learning/calibration/calibration-target.js";
import { loadOutcomeData } from "../../src/learning/outcomes/load-outcome-data.js";
import type { EvalReport } from "../../src/learning/eval/replay/eval-report.js";
import { SeededRandom } from "../../src/routing/learned/seeded-random.js";
import { gsm8kLines, pairModels, runCli, tempDir, writeLines } from "../eval/cli-run.js";
import { pricesFile } from "../eval/shared-data.js";

const file = tempDir();
let data: string;

beforeAll(() => {
  data = writeLines(file("gsm8k-slice.jsonl"), gsm8kLines(160));
});

afterEach(() => {
  process.exitCode = undefined;
});

/** A pool whose best model "c" is also the cheapest: routing cannot pay. */
function poolLines(n: number): string[] {
  const random = new SeededRandom(4);
  const words = ["apple", "river", "stone", "cloud", "table", "green", "music", "paper"];
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `p${i}`,
      prompt: Array.from({ length: 6 }, () => words[random.int(words.length)]).join(" "),
      category: "c",
      outcomes: {
        a: { score: random.int(2), output_chars: 400 },
        b: { score: random.int(2), output_chars: 400 },
        c: { score: random.next() < 0.9 ? 1 : 0, output_chars: 400 },
      },
    }),
  );
}

describe("rightsize eval on a user's own data", () => {
  it("evaluates a pair without a price table, the strong model named by --strong", async () => {
    const json = file("no-prices.json");
    const result = await runCli(
      "eval",
      "--data",
      data,
      "--models",
      pairModels,
      "--routers",
      "knn",
      "--folds",
      "2",
      "--strong",
      "gpt-4-1106-preview",
      "--json",
      json,
    );
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/no price table: APGR and CPT need none/);
    const report = JSON.parse(readFileSync(json, "utf8")) as EvalReport;
    expect(report.large).toBe("gpt-4-1106-preview");
    expect(report.routers[0]?.apgr).not.toBeNull();
  });

  it("names every model missing from the price table at once", async () => {
    const prices = file("partial-prices.json");
    writeFileSync(prices, JSON.stringify({ a: { input: 1, output: 1 } }));
    const pool = writeLines(file("pool-missing.jsonl"), poolLines(40));
    const result = await runCli("eval", "--data", pool, "--models", "a,b,c", "--routers", "random", "--prices", prices);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/no price for 2 models: b, c/);
  });

  it("lists the router kinds, auto included, in --help", async () => {
    const result = await runCli("eval", "--help");
    expect(result.out).toMatch(/auto, .*irt-knn.*knn.*linear.*mlp/s);
  });

  it('prints "met" for the held-out half the figures beside it are from, and labels pooled and per-fold APGR', async () => {
    const json = file("met.json");
    const result = await runCli(
      "eval",
      "--data",
      data,
      "--models",
      pairModels,
      "--routers",
      "random,knn",
      "--folds",
      "2",
      "--prices",
      pricesFile(),
      "--json",
      json,
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/"met" judged on that half/);
    expect(result.out).toMatch(/APGR pooled .*APGR per fold \(mean ± sd\)/);
    const report = JSON.parse(readFileSync(json, "utf8")) as EvalReport;
    for (const router of report.routers) {
      const op = router.operatingPoint!;
      expect(op.met).toBe(meetsTarget(op.target, op.heldOut));
    }
  });

  it("names the best single model and the most expensive one, and falls back to the best single model when routing does not pay", async () => {
    const pool = writeLines(file("pool.jsonl"), poolLines(200));
    const prices = file("pool-prices.json");
    writeFileSync(prices, JSON.stringify({ a: { input: 5, output: 5 }, b: { input: 10, output: 10 }, c: { input: 0.1, output: 0.1 } }));
    const json = file("pool.json");
    const result = await runCli(
      "eval",
      "--data",
      pool,
      "--models",
      "a,b,c",
      "--routers",
      "knn",
      "--folds",
      "2",
      "--prices",
      prices,
      "--json",
      json,
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/best single model \(c\)/);
    expect(result.out).toMatch(/most expensive model \(b\)/);
    expect(result.out).not.toMatch(/of large/);
    expect(result.out).toMatch(/falls back to that model/);
    const report = JSON.parse(readFileSync(json, "utf8")) as EvalReport;
    const op = report.routers[0]!.operatingPoint!;
    expect(op.policy).toEqual({ kind: "single", model: "c" });
    expect(op.heldOut.quality.value).toBeGreaterThanOrEqual(report.baselines.perModel.c!.quality - 0.1);
  });

  it("evaluates --routers auto with the choice made inside each training fold", async () => {
    const result = await runCli(
      "eval",
      "--data",
      data,
      "--models",
      pairModels,
      "--routers",
      "auto",
      "--folds",
      "2",
      "--prices",
      pricesFile(),
    );
    expect(result.code).toBe(0);
    expect(result.err.match(/auto \(inner 3-fold CV on 80 training rows\): chose /g)).toHaveLength(2);
    expect(result.out).toMatch(/^auto\s+-?\d\.\d{3}/m);
  });
});

describe("outcome loading", () => {
  it("counts outcomes without output_chars only among the rows and models that are kept", async () => {
    const lines = [
      { id: "1", prompt: "p", category: "keep", outcomes: { a: { score: 1 }, b: { score: 0, output_chars: 2 }, z: { score: 1 } } },
      { id: "2", prompt: "p", category: "drop", outcomes: { a: { score: 1 }, b: { score: 1 } } },
    ].map((line) => JSON.stringify(line));
    const target = writeLines(file("output-chars.jsonl"), lines);
    const { report } = await loadOutcomeData(target, { categoryPrefixes: ["keep"], requireModels: ["a", "b"] });
    expect(report.missingOutputChars).toBe(1);
  });
});
