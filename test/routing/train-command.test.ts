import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseRouterArtifact } from "../../src/routing/learned/router-artifact-schema.js";
import { runCli } from "../support/run-cli.js";
import { gpt4, gsm8kSlice, mixtral, sharedData, tempDir, writeRows } from "./support/shared-slice.js";

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, out, err } = await runCli(...args);
  return { code, stdout: out, stderr: err };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("rightsize train", () => {
  it("trains on a slice of the shared data, prints held-out validation and writes a valid artifact", async () => {
    const dir = tempDir("train");
    const data = path.join(dir, "slice.jsonl");
    writeRows(data, await gsm8kSlice(150));
    const out = path.join(dir, "router.json");
    const args = [
      "train",
      "--data",
      data,
      "--models",
      `${mixtral},${gpt4}`,
      "--router",
      "linear",
      "--out",
      out,
      "--seed",
      "5",
      "--prices",
      sharedData("prices.json"),
    ];
    const result = await run(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/held-out validation \(30 rows\): rows 30, .*apgr/);
    expect(result.stderr).toMatch(/150 rows kept/);
    const artifact = parseRouterArtifact(JSON.parse(readFileSync(out, "utf8")));
    expect(artifact.kind).toBe("linear");
    expect(artifact.training.rows).toBe(120);
    expect(artifact.training.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(artifact.prices?.[gpt4]).toEqual({ input: 10, output: 30 });
    const again = path.join(dir, "again.json");
    await run([...args.slice(0, 8), again, ...args.slice(9)]);
    const strip = (file: string) => ({ ...JSON.parse(readFileSync(file, "utf8")), createdAt: "" });
    expect(strip(again)).toEqual(strip(out));
  });

  it("names file, line and field of a malformed data file and writes nothing", async () => {
    const dir = tempDir("train-bad");
    const data = path.join(dir, "bad.jsonl");
    const good = JSON.stringify({
      id: "1",
      prompt: "p",
      category: "gsm8k",
      outcomes: { a: { score: 1, output_chars: 1 }, b: { score: 0, output_chars: 1 } },
    });
    writeFileSync(data, `${good}\n${good.replace('"score":0', '"score":"zero"')}\n`);
    const out = path.join(dir, "router.json");
    const result = await run(["train", "--data", data, "--models", "a,b", "--router", "knn", "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${data}:2: outcomes.b.score:`);
    expect(existsSync(out)).toBe(false);
  });

  it("rejects an unknown router kind and an unknown filter with one clear line", async () => {
    const base = ["train", "--data", "x.jsonl", "--models", "a,b", "--out", "o.json"];
    expect((await run([...base, "--router", "oracle"])).stderr).toMatch(/--router: unknown kind "oracle"/);
    expect((await run([...base, "--router", "knn", "--filter", "nope"])).stderr).toMatch(/--filter: unknown filter "nope"/);
  });
});
