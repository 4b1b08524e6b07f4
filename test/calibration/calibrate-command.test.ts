import { readFileSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseRouterArtifact } from "../../src/routing/learned/router-artifact-schema.js";
import { gsm8kLines, pairModels, runCli, tempDir, writeLines } from "../eval/cli-run.js";
import { mmluProFile, pricesFile } from "../eval/shared-data.js";

const file = tempDir();
let router: string;
let calibration: string;

beforeAll(async () => {
  const train = writeLines(file("train.jsonl"), gsm8kLines(300));
  calibration = writeLines(file("calibration.jsonl"), gsm8kLines(300, 300));
  router = file("router.json");
  const trained = await runCli(
    "train",
    "--data",
    train,
    "--models",
    pairModels,
    "--router",
    "knn",
    "--out",
    router,
    "--prices",
    pricesFile(),
  );
  expect(trained.code).toBe(0);
});

describe("rightsize calibrate", () => {
  it("large-share=0.3: writes a threshold policy with bootstrap intervals into the artifact and prints a config snippet", async () => {
    const out = file("calibrated.json");
    const result = await runCli(
      "calibrate",
      "--router",
      router,
      "--data",
      calibration,
      "--target",
      "large-share=0.3",
      "--out",
      out,
      "--resamples",
      "200",
    );
    expect(result.code).toBe(0);
    const artifact = parseRouterArtifact(JSON.parse(readFileSync(out, "utf8")));
    const point = artifact.calibration!;
    expect(point.target).toEqual({ kind: "large-share", value: 0.3 });
    expect(point.rows).toBe(300);
    expect(point.policy).toMatchObject({ kind: "threshold", small: "Mixtral-8x7B-Instruct-v0.1", large: "gpt-4-1106-preview" });
    const share = point.expected.largeShare!;
    expect(share.value).toBeLessThanOrEqual(0.3);
    expect(share.value).toBeGreaterThan(0.25);
    for (const e of Object.values(point.expected)) expect(e.low <= e.value && e.value <= e.high).toBe(true);
    expect(result.out).toMatch(/calibrated knn for large-share=0\.3 on 300 rows/);
    expect(result.out).toMatch(/settings: \{ artifact: .*calibrated\.json, threshold: 0\.\d+ \}/);
    // The original artifact is untouched when --out is given.
    expect(parseRouterArtifact(JSON.parse(readFileSync(router, "utf8"))).calibration).toBeUndefined();
  });

  it("cost-per-1k and quality-floor targets are met on the calibration rows", async () => {
    const cost = await runCli(
      "calibrate",
      "--router",
      router,
      "--data",
      calibration,
      "--target",
      "cost-per-1k=2",
      "--out",
      file("cost.json"),
      "--resamples",
      "100",
    );
    expect(cost.code).toBe(0);
    expect(
      parseRouterArtifact(JSON.parse(readFileSync(file("cost.json"), "utf8"))).calibration!.expected.costPer1k!.value,
    ).toBeLessThanOrEqual(2);
    const floor = await runCli(
      "calibrate",
      "--router",
      router,
      "--data",
      calibration,
      "--target",
      "quality-floor=0.95",
      "--out",
      file("floor.json"),
      "--resamples",
      "100",
    );
    expect(floor.code).toBe(0);
    expect(
      parseRouterArtifact(JSON.parse(readFileSync(file("floor.json"), "utf8"))).calibration!.expected.qualityVsLarge!.value,
    ).toBeGreaterThanOrEqual(0.95);
  });

  it("fails with a clear message when the target cannot be met, writing nothing", async () => {
    const out = file("impossible.json");
    const result = await runCli("calibrate", "--router", router, "--data", calibration, "--target", "cost-per-1k=0.001", "--out", out);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/target cost-per-1k=0\.001 cannot be met on .*calibration\.jsonl: the cheapest point costs/);
    expect(() => readFileSync(out)).toThrow();
  });

  it("names the artifact field that is wrong", async () => {
    const artifact = JSON.parse(readFileSync(router, "utf8")) as Record<string, unknown>;
    const bad = file("bad-router.json");
    writeFileSync(bad, JSON.stringify({ ...artifact, training: { ...(artifact.training as object), rows: "many" } }));
    const result = await runCli("calibrate", "--router", bad, "--data", calibration, "--target", "large-share=0.3");
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/--router .*bad-router\.json: training\.rows: /);
    writeFileSync(bad, "{ not json");
    expect((await runCli("calibrate", "--router", bad, "--data", calibration, "--target", "large-share=0.3")).err).toMatch(
      /--router .*bad-router\.json: .*JSON/,
    );
  });

  it("names file, line and field of a malformed calibration line", async () => {
    const lines = gsm8kLines(20, 300);
    lines[11] = lines[11]!.replace('"prompt":', '"prompt_text":');
    const bad = writeLines(file("bad-calibration.jsonl"), lines);
    const result = await runCli("calibrate", "--router", router, "--data", bad, "--target", "large-share=0.3");
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/bad-calibration\.jsonl:12: prompt: /);
  });

  it("rejects a malformed target with the accepted forms", async () => {
    const result = await runCli("calibrate", "--router", router, "--data", calibration, "--target", "large-share=2");
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/--target: target large-share: 2 must be between 0 and 1/);
  });

  it("calibrates λ for a pool of three models", async () => {
    const lines = readFileSync(mmluProFile(), "utf8").split("\n").filter(Boolean);
    const train = writeLines(file("pool-train.jsonl"), lines.slice(0, 300));
    const held = writeLines(file("pool-cal.jsonl"), lines.slice(300, 600));
    const models = "gpt-4o-2024-05-13,Meta-Llama-3.1-8B-Instruct,Phi-3-mini-4k-instruct";
    const pool = file("pool.json");
    expect(
      (await runCli("train", "--data", train, "--models", models, "--router", "knn", "--out", pool, "--prices", pricesFile())).code,
    ).toBe(0);
    const result = await runCli("calibrate", "--router", pool, "--data", held, "--target", "cost-per-1k=1", "--resamples", "100");
    expect(result.code).toBe(0);
    const point = parseRouterArtifact(JSON.parse(readFileSync(pool, "utf8"))).calibration!;
    expect(point.policy.kind).toBe("cost-penalty");
    expect(point.expected.costPer1k!.value).toBeLessThanOrEqual(1);
    expect(result.out).toMatch(/settings: \{ artifact: .*pool\.json, lambda: [\d.e-]+ \}/);
  });
});
