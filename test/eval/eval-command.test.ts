import { readFileSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { gsm8kLines, pairModels, runCli, tempDir, writeLines } from "./cli-run.js";
import { pricesFile } from "./shared-data.js";

const file = tempDir();
let data: string;

beforeAll(() => {
  data = writeLines(file("gsm8k-slice.jsonl"), gsm8kLines(250));
});

describe("rightsize eval", () => {
  it("replays the routers, prints the table, writes JSON and a self-contained HTML report", async () => {
    const json = file("eval.json");
    const html = file("eval.html");
    const result = await runCli(
      "eval",
      "--data",
      data,
      "--models",
      pairModels,
      "--routers",
      "random,knn",
      "--folds",
      "3",
      "--prices",
      pricesFile(),
      "--target",
      "large-share=0.4",
      "--json",
      json,
      "--html",
      html,
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^random\s+-?\d\.\d{3}/m);
    expect(result.out).toMatch(/^knn\s+-?\d\.\d{3}/m);
    expect(result.out).toContain("calibrated for large-share=0.4");
    expect(result.err).toMatch(/knn: fold 3\/3: training on \d+ rows/);
    const report = JSON.parse(readFileSync(json, "utf8")) as {
      format: string;
      routers: { name: string; apgr: number }[];
      data: { rows: number };
    };
    expect(report.format).toBe("rightsize-eval");
    expect(report.data.rows).toBe(250);
    expect(report.routers.map((r) => r.name)).toEqual(["random", "knn"]);
    const page = readFileSync(html, "utf8");
    expect(page).toContain("<svg");
    expect(page).toContain("knn");
    expect(page).toContain("random");
  });

  it("is deterministic for a seed", async () => {
    const args = [
      "eval",
      "--data",
      data,
      "--models",
      pairModels,
      "--routers",
      "knn",
      "--folds",
      "3",
      "--prices",
      pricesFile(),
      "--seed",
      "9",
    ];
    const a = await runCli(...args);
    const b = await runCli(...args);
    expect(a.out.replace(/\s+[\d.]+\n/g, "\n")).toBe(b.out.replace(/\s+[\d.]+\n/g, "\n")); // all but the training seconds
  });

  it("names file, line and field for a malformed data line and exits non-zero", async () => {
    const lines = gsm8kLines(40);
    const broken = JSON.parse(lines[6]!) as { outcomes: Record<string, { score: unknown }> };
    broken.outcomes["gpt-4-1106-preview"]!.score = "high";
    lines[6] = JSON.stringify(broken);
    const bad = writeLines(file("bad-field.jsonl"), lines);
    const result = await runCli("eval", "--data", bad, "--models", pairModels, "--routers", "knn", "--prices", pricesFile());
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('bad-field.jsonl:7: outcomes["gpt-4-1106-preview"].score: ');
  });

  it("counts and reports rows that lack a requested model instead of dropping them silently", async () => {
    const lines = gsm8kLines(40);
    const partial = JSON.parse(lines[0]!) as { outcomes: Record<string, unknown> };
    delete partial.outcomes["Mixtral-8x7B-Instruct-v0.1"];
    lines[0] = JSON.stringify(partial);
    const result = await runCli(
      "eval",
      "--data",
      writeLines(file("partial.jsonl"), lines),
      "--models",
      pairModels,
      "--routers",
      "random",
      "--folds",
      "2",
      "--prices",
      pricesFile(),
    );
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/39 rows kept of 40 lines; 1 lacking a requested model \(Mixtral-8x7B-Instruct-v0\.1: 1\)/);
  });

  it("reports a line that is not JSON with its line number", async () => {
    const lines = gsm8kLines(30);
    lines[2] = lines[2]!.slice(0, 50);
    const bad = writeLines(file("bad-json.jsonl"), lines);
    const result = await runCli("eval", "--data", bad, "--models", pairModels, "--routers", "knn", "--prices", pricesFile());
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/bad-json\.jsonl:3: \(json\): not valid JSON/);
  });

  it("names the price file, line and field of a bad price", async () => {
    const prices = file("prices.json");
    writeFileSync(
      prices,
      '{\n  "gpt-4-1106-preview": {"input": 10, "output": 30},\n  "Mixtral-8x7B-Instruct-v0.1": {"input": "cheap", "output": 0.6}\n}\n',
    );
    const result = await runCli("eval", "--data", data, "--models", pairModels, "--routers", "knn", "--prices", prices);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/prices\.json:3: Mixtral-8x7B-Instruct-v0\.1\.input: expected a non-negative number/);
  });

  it("rejects unknown router kinds, bad targets and too few rows with one clear line", async () => {
    const unknown = await runCli("eval", "--data", data, "--models", pairModels, "--routers", "knn,telepathy", "--prices", pricesFile());
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/--routers: unknown kind "telepathy"; known: .*knn/);
    const target = await runCli("eval", "--data", data, "--models", pairModels, "--target", "speed=3", "--prices", pricesFile());
    expect(target.err).toMatch(/--target: target "speed=3" must be one of/);
    const tiny = writeLines(file("tiny.jsonl"), gsm8kLines(6));
    const few = await runCli("eval", "--data", tiny, "--models", pairModels, "--routers", "knn", "--prices", pricesFile());
    expect(few.code).not.toBe(0);
    expect(few.err).toMatch(/only 6 usable rows/);
    const missing = await runCli("eval", "--data", file("nope.jsonl"), "--models", pairModels, "--prices", pricesFile());
    expect(missing.err).toMatch(/--data .*nope\.jsonl: no such file/);
  });
});
