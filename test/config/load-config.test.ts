import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { loadConfig, parseConfig } from "../../src/config/load-config.js";

const dir = mkdtempSync(path.join(tmpdir(), "rightsize-config-"));
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const minimal = `
models:
  - id: small
    provider: openai-compatible
    model: m
    baseUrl: http://127.0.0.1:1/v1
    apiKey: \${TEST_KEY}
`;

describe("loadConfig", () => {
  it("loads the commented example config", async () => {
    const { config } = await loadConfig(path.resolve("examples/rightsize.yaml"), {});
    expect(config.models.map((m) => m.id)).toEqual(["small", "large", "claude"]);
    expect(config.routers[0]?.id).toBe("rightsize/auto");
  });

  it("fills defaults and interpolates environment references", async () => {
    const { config, dir: folder } = await loadConfig(write("ok.yaml", minimal), { TEST_KEY: "sk-secret" });
    const model = config.models[0];
    expect(model?.provider === "openai-compatible" && model.apiKey).toBe("sk-secret");
    expect(config.server.port).toBe(8080);
    expect(config.server.timeouts.firstTokenMs).toBe(30_000);
    expect(folder).toBe(dir);
  });

  it("names the file, the line, the path and the problem for a wrong type", async () => {
    const file = write("bad.yaml", `${minimal}    price: { input: "cheap", output: 1 }\n`);
    const error = await loadConfig(file, { TEST_KEY: "k" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${file}:8: models[0].price.input`);
    expect((error as ConfigError).message).toMatch(/expected number/);
  });

  it("reports a missing environment variable by path", async () => {
    const error = await loadConfig(write("env.yaml", minimal), {}).catch((e: unknown) => e);
    expect((error as ConfigError).message).toContain("models[0].apiKey: environment variable TEST_KEY is not set");
  });

  it("reports unknown keys, unknown providers and unknown router targets", () => {
    expect(() => parseConfig({ models: [{ id: "a", provider: "nope", model: "m" }] })).toThrow(/models\[0\]\.provider/);
    expect(() =>
      parseConfig({ modles: [], models: [{ id: "a", provider: "openai-compatible", model: "m", baseUrl: "http://x/v1" }] }),
    ).toThrow(/unknown key\(s\) "modles"/);
    expect(() =>
      parseConfig({
        models: [{ id: "a", provider: "openai-compatible", model: "m", baseUrl: "http://x/v1" }],
        routers: [{ id: "r", kind: "fixed", targets: ["b"] }],
      }),
    ).toThrow(/routers\[0\]\.targets\[0\]: unknown model "b"/);
  });

  it("reports YAML syntax errors with a line and a missing file clearly", async () => {
    const error = await loadConfig(write("syntax.yaml", "models: [\n  - id: a\n"), {}).catch((e: unknown) => e);
    expect((error as ConfigError).message).toMatch(/syntax\.yaml:\d+: \(syntax\)/);
    await expect(loadConfig(path.join(dir, "missing.yaml"))).rejects.toThrow(/file not found/);
  });

  it("accepts JSON", async () => {
    const file = write("c.json", JSON.stringify({ models: [{ id: "a", provider: "anthropic", model: "claude", apiKey: "k" }] }));
    const { config } = await loadConfig(file, {});
    expect(config.models[0]?.provider).toBe("anthropic");
  });
});
