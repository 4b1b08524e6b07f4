import { readFile } from "node:fs/promises";
import { PriceTable, type ModelPrice } from "../../src/pricing/price-table.js";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCalibrationTarget } from "../../src/learning/calibration/calibration-target.js";
import { thresholdRouterReplay } from "../../src/learning/eval/replay/threshold-router-replay.js";
import { evaluateRouters } from "../../src/learning/eval/replay/evaluate-routers.js";
import type { EvalReport } from "../../src/learning/eval/replay/eval-report.js";
import { loadOutcomeData } from "../../src/learning/outcomes/load-outcome-data.js";
import type { OutcomeRow } from "../../src/learning/outcomes/outcome-row.js";
import { trainPredictor } from "../../src/learning/training/train-predictor.js";
import { mmluProFile, pricesFile, routellmFile } from "./shared-data.js";
import { trainWordVote } from "./word-vote-predictor.js";

const pair = ["gpt-4-1106-preview", "Mixtral-8x7B-Instruct-v0.1"];
let rows: OutcomeRow[];
let prices: PriceTable;

beforeAll(async () => {
  ({ rows } = await loadOutcomeData(routellmFile(), { categoryPrefixes: ["gsm8k"], limit: 300 }));
  prices = PriceTable.fromRecord(JSON.parse(await readFile(pricesFile(), "utf8")) as Record<string, ModelPrice>);
});

const base = () => ({
  data: { file: "slice", loadSummary: "300 GSM8K rows" },
  models: pair,
  prices,
  folds: 5,
  seed: 3,
  resamples: 200,
  now: "2026-01-01T00:00:00Z",
});

describe("evaluateRouters (k-fold replay)", () => {
  it("predicts every row with a router trained without it, once per fold", async () => {
    const log = { trainedOn: [] as Set<string>[], predicted: [] as string[][] };
    await evaluateRouters(rows, { ...base(), kinds: ["word-vote"], train: trainWordVote(log) });
    expect(log.trainedOn).toHaveLength(5);
    for (const [f, prompts] of log.predicted.entries()) for (const p of prompts) expect(log.trainedOn[f]!.has(p)).toBe(false);
    expect(log.predicted.flat().sort()).toEqual(rows.map((r) => r.prompt).sort());
  });

  it("measures the registry's routers against the baselines, calibrates each and breaks results down by category", async () => {
    const report: EvalReport = await evaluateRouters(rows, {
      ...base(),
      kinds: ["random", "knn"],
      train: trainPredictor,
      target: parseCalibrationTarget("large-share=0.3"),
    });
    expect(report.mode).toBe("pair");
    expect(report.small).toBe("Mixtral-8x7B-Instruct-v0.1");
    expect(report.large).toBe("gpt-4-1106-preview");
    expect(report.routers.map((r) => r.name)).toEqual(["random", "knn"]);
    for (const r of report.routers) {
      expect(r.apgr).not.toBeNull();
      expect(Math.abs(r.apgr!)).toBeLessThan(2);
      expect(r.aiq).toBeGreaterThan(0);
      expect(r.apgrFolds!.sd).toBeGreaterThanOrEqual(0);
      const op = r.operatingPoint!;
      expect(op.metOnCalibration).toBe(true);
      expect(op.calibration.largeShare.value).toBeLessThanOrEqual(0.3);
      expect(op.met).toBe(op.heldOut.largeShare.value <= 0.3);
      expect(op.heldOut.quality.low).toBeLessThanOrEqual(op.heldOut.quality.value);
      expect(op.policy.kind).toBe("threshold");
    }
    expect(report.baselines.oracle.quality).toBeGreaterThanOrEqual(report.baselines.alwaysLarge.quality);
    expect(report.categories.reduce((s, c) => s + c.rows, 0)).toBe(300);
    expect(JSON.parse(JSON.stringify(report))).toMatchObject({ format: "rightsize-eval", version: 1 });
  });

  it("takes extra routers that replay themselves (the seam for a cascade replay)", async () => {
    const report = await evaluateRouters(rows, {
      ...base(),
      kinds: [],
      train: trainPredictor,
      extraRouters: (table) => [
        thresholdRouterReplay(
          "longest-prompt",
          table,
          Float64Array.from(table.promptChars, (c) => Math.min(1, c / 2000)),
          { small: 1, large: 0 },
        ),
      ],
    });
    expect(report.routers.map((r) => r.name)).toEqual(["longest-prompt"]);
    expect(report.routers[0]!.apgr).not.toBeNull();
  });

  it("replays a pool of three models with the λ sweep", async () => {
    const { rows: pool } = await loadOutcomeData(mmluProFile(), { limit: 300 });
    const models = ["gpt-4o-2024-05-13", "Meta-Llama-3.1-8B-Instruct", "Phi-3-mini-4k-instruct"];
    const report = await evaluateRouters(pool, {
      ...base(),
      models,
      kinds: ["knn"],
      train: trainPredictor,
      target: parseCalibrationTarget("quality-floor=0.9"),
    });
    expect(report.mode).toBe("pool");
    expect(report.large).toBe("gpt-4o-2024-05-13");
    expect(report.routers[0]!.apgr).toBeNull();
    expect(report.routers[0]!.aiq).toBeGreaterThan(0);
    expect(report.routers[0]!.operatingPoint!.policy.kind).toBe("cost-penalty");
  });
});
