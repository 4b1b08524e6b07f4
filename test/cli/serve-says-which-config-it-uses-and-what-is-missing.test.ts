import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultConfig, OFFLINE_SMALL_MODEL_HINT } from "../../src/cli/default-config.js";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import { startGateway } from "../../src/server/start-gateway.js";
import { ensureBuilt } from "../support/ensure-built.js";
import { runCli } from "../support/run-cli.js";
import { gatewayUrl, repoRoot, spawnRightsize } from "../support/spawn-rightsize.js";

beforeAll(async () => ensureBuilt(), 120_000);
afterEach(() => vi.unstubAllGlobals());

/** Starts `rightsize serve` in `cwd`, returns its banner once it listens, and stops it. */
async function banner(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const serve = spawnRightsize(["serve", "--port", "0", ...args], { cwd, env: { ...process.env, ...env } });
  try {
    await gatewayUrl(serve);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return serve.stderr();
  } finally {
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
  }
}

describe("rightsize config init", () => {
  it("writes the example with a $schema line that points at the schema from where the copy lives", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rightsize-init-"));
    const file = path.join(dir, "nested", "..", "rightsize.yaml");
    const run = await runCli("config", "init", file);
    expect(run.code).toBe(0);
    const text = readFileSync(file, "utf8");
    const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
    expect(schema).toBeDefined();
    expect(existsSync(path.resolve(dir, schema as string))).toBe(true);
    expect(path.resolve(dir, schema as string)).toBe(path.join(repoRoot, "schema", "rightsize.config.schema.json"));
    const again = await runCli("config", "init", file);
    expect(again.code).toBe(2);
    expect(again.err).toContain("exists already (--force overwrites it)");
  });
});

describe("the serve banner", () => {
  it("names the config file and where it came from, warns that quickstart variables are ignored and that the key is the default", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rightsize-banner-"));
    await runCli("config", "init", path.join(dir, "rightsize.yaml"));
    const text = await banner([], dir, { RIGHTSIZE_SMALL_MODEL: "/models/tiny.gguf", RIGHTSIZE_API_KEY: "" });
    expect(text).toContain(
      `config:  ${path.join(dir, "rightsize.yaml")} (found in the current folder; --config or $RIGHTSIZE_CONFIG choose another)`,
    );
    expect(text).toMatch(
      /warning: RIGHTSIZE_SMALL_MODEL is set, but only the built-in quickstart config reads it; this gateway uses .*rightsize\.yaml/,
    );
    expect(text).toContain('warning: client key "team-web" is the example\'s default "change-me"');
    expect(text).toContain("auth:    client keys required (1 configured)");
  }, 30_000);

  it("with no config says it uses the quickstart config and, offline, that the small model is not downloaded and what to do", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rightsize-offline-"));
    const cache = path.join(dir, "cache");
    const text = await banner([], dir, { RIGHTSIZE_MODELS_DIR: cache, RIGHTSIZE_SMALL_MODEL: "", RIGHTSIZE_CONFIG: "" });
    expect(text).toContain("config:  built-in quickstart config (no --config, no $RIGHTSIZE_CONFIG, no ./rightsize.yaml)");
    expect(text).toContain(
      'note: model "small" (hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf) is not downloaded yet',
    );
    expect(text).toContain(`into ${path.join(cache, "Qwen/Qwen2.5-0.5B-Instruct-GGUF/main/qwen2.5-0.5b-instruct-q8_0.gguf")}`);
    expect(text).toContain(OFFLINE_SMALL_MODEL_HINT);
  }, 30_000);
});

describe("the 503 of a model that cannot be downloaded", () => {
  it("carries the same hint as the start-up note", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND huggingface.co") });
    });
    const dir = mkdtempSync(path.join(tmpdir(), "rightsize-503-"));
    const input = defaultConfig({ PORT: "0" });
    const small = input.models[0];
    if (small?.provider === "llama-cpp") small.cacheDir = path.join(dir, "cache");
    const config = parseGatewayConfig({ ...input, storage: { path: ":memory:" }, server: { port: 0, logLevel: "silent" } }, { env: {} });
    const running = await startGateway({ config, configDir: dir, errorHints: { model_download_failed: OFFLINE_SMALL_MODEL_HINT } });
    try {
      const response = await fetchReal(`${running.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "rightsize/auto", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { message: string; code: string } };
      expect(body.error.code).toBe("model_download_failed");
      expect(body.error.message).toContain(
        "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q8_0.gguf",
      );
      expect(body.error.message).toContain(path.join(dir, "cache"));
      expect(body.error.message).toContain(OFFLINE_SMALL_MODEL_HINT);
    } finally {
      await running.close();
    }
  });
});

/** The test's own requests go through undici, not the stubbed global fetch. */
async function fetchReal(url: string, init: { method: string; headers: Record<string, string>; body: string }) {
  const { request } = await import("undici");
  const response = await request(url, init);
  return { status: response.statusCode, json: () => response.body.json() };
}
