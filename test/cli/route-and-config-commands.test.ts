import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

const example = path.resolve("examples/rightsize.yaml");
const dir = mkdtempSync(path.join(tmpdir(), "rightsize-cli-"));

describe("rightsize route", () => {
  it("prints the decision and its explanation without calling a model", async () => {
    const easy = await runCli("route", "What is the capital of France?", "--config", example);
    expect(easy.code).toBe(0);
    expect(easy.out).toContain("target:   small");
    expect(easy.out).toContain("reason:   no rule matched");
    const hard = await runCli("route", "Prove that there are infinitely many primes", "--config", example);
    expect(hard.out).toContain("target:   large");
    expect(hard.out).toMatch(/rule "hard words" matched/);
  });

  it("reads headers and prints JSON", async () => {
    const run = await runCli("route", "hi", "--config", example, "-H", "x-rightsize-tier:large", "--json");
    const decision = JSON.parse(run.out) as { target: string; score: number; features: { turns: number } };
    expect(decision.target).toBe("large");
    expect(decision.score).toBe(1);
    expect(decision.features.turns).toBe(1);
  });

  it("names an unknown router", async () => {
    const run = await runCli("route", "hi", "--config", example, "--router", "nope");
    expect(run.code).toBe(2);
    expect(run.err).toContain('no router "nope"');
  });
});

describe("rightsize config", () => {
  it("checks a valid config", async () => {
    const run = await runCli("config", "check", example);
    expect(run.code).toBe(0);
    expect(run.out).toContain("ok (3 models, 2 routers)");
  });

  it("names file, line and path of a problem", async () => {
    const file = path.join(dir, "bad.yaml");
    writeFileSync(file, "models:\n  - id: a\n    provider: openai-compatible\n    model: m\n    baseUrl: not-a-url\n");
    const run = await runCli("config", "check", file);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`${file}:5: models[0].baseUrl`);
  });

  it("names file, line and path of a missing LoRA adapter file, resolved against the config's folder", async () => {
    const file = path.join(dir, "missing-adapter.yaml");
    writeFileSync(
      file,
      "models:\n  - id: small-lora\n    provider: llama-cpp\n    model: base.gguf\n    lora:\n      - path: adapters/nope.gguf\n",
    );
    const run = await runCli("config", "check", file);
    expect(run.code).toBe(2);
    expect(run.err).toContain(
      `${file}:6: models[0].lora[0].path: LoRA adapter file ${path.join(dir, "adapters", "nope.gguf")} does not exist`,
    );
  });

  it("reports bad router settings with their path", async () => {
    const file = path.join(dir, "bad-router.yaml");
    writeFileSync(
      file,
      "models:\n  - { id: a, provider: openai-compatible, model: m, baseUrl: 'http://x/v1' }\nrouters:\n  - { id: r, kind: rules, settings: { default: zzz } }\n",
    );
    const run = await runCli("config", "check", file);
    expect(run.code).toBe(2);
    expect(run.err).toContain("routers[0].settings.default");
  });

  it("prints the JSON Schema", async () => {
    const run = await runCli("config", "schema");
    const schema = JSON.parse(run.out) as { title: string; properties: Record<string, unknown> };
    expect(schema.title).toBe("rightsize configuration");
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["models", "routers", "server", "storage"]));
  });
});
