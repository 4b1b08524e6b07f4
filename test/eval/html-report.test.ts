import { readFile } from "node:fs/promises";
import { PriceTable, type ModelPrice } from "../../src/pricing/price-table.js";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCalibrationTarget } from "../../src/learning/calibration/calibration-target.js";
import { evaluateRouters } from "../../src/learning/eval/replay/evaluate-routers.js";
import type { EvalReport } from "../../src/learning/eval/replay/eval-report.js";
import { htmlReport } from "../../src/learning/eval/reports/html-report.js";
import { terminalReport } from "../../src/learning/eval/reports/terminal-report.js";
import { loadOutcomeData } from "../../src/learning/outcomes/load-outcome-data.js";
import { pricesFile, routellmFile } from "./shared-data.js";
import { trainWordVote } from "./word-vote-predictor.js";

let report: EvalReport;

beforeAll(async () => {
  const { rows } = await loadOutcomeData(routellmFile(), { categoryPrefixes: ["mmlu/"], limit: 240 });
  const prices = PriceTable.fromRecord(JSON.parse(await readFile(pricesFile(), "utf8")) as Record<string, ModelPrice>);
  const train = trainWordVote({ trainedOn: [], predicted: [] });
  report = await evaluateRouters(rows, {
    data: { file: "slice", loadSummary: '240 MMLU rows <with markup & quotes">' },
    models: ["gpt-4-1106-preview", "Mixtral-8x7B-Instruct-v0.1"],
    prices,
    kinds: ["word-vote", "word-vote-2"],
    train,
    folds: 3,
    seed: 1,
    resamples: 100,
    target: parseCalibrationTarget("quality-floor=0.95"),
  });
});

describe("htmlReport", () => {
  it("is one self-contained page: inline SVG charts, no scripts, no external files", () => {
    const html = htmlReport(report);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(3); // cost–quality, large-call share, per category
    expect(html).not.toMatch(/<script|<link |src=|@import/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "")).not.toMatch(/https?:\/\//);
  });

  it("names every router, the baselines and the calibrated points", () => {
    const html = htmlReport(report);
    for (const name of ["word-vote", "word-vote-2", "always-small", "always-large", "oracle", "random", "word-vote calibrated"])
      expect(html).toContain(name);
    expect(html).toContain("quality-floor=0.95");
  });

  it("escapes text taken from the data", () => {
    const html = htmlReport(report);
    expect(html).toContain("&lt;with markup &amp; quotes&quot;&gt;");
    expect(html).not.toContain("<with markup");
  });

  it("has a per-category table row for every category group", () => {
    const html = htmlReport(report);
    for (const c of report.categories) expect(html).toContain(`<td>${c.category.replace(/&/g, "&amp;")}</td>`);
  });
});

describe("terminalReport", () => {
  it("prints one line per router with APGR, CPT and AIQ and the calibrated figures", () => {
    const text = terminalReport(report);
    expect(text).toMatch(/router\s+APGR pooled\s+APGR pooled exact\s+APGR per fold \(mean ± sd\)\s+CPT\(50%\)\s+CPT\(80%\)\s+AIQ/);
    expect(text).toMatch(/^word-vote\s+-?\d\.\d{3}/m);
    expect(text).toMatch(/^word-vote-2\s+-?\d\.\d{3}/m);
    expect(text).toContain("calibrated for quality-floor=0.95");
  });
});
