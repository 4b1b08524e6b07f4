import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/config-error.js";
import { loadConfig, parseConfig } from "../../../src/config/load-config.js";
import { buildGateway } from "../../../src/server/build-gateway.js";
import { startGateway } from "../../../src/server/start-gateway.js";
import type { RunningGateway } from "../../../src/server/start-gateway.js";
import { MemoryRequestLogStore } from "../../../src/storage/memory-request-log-store.js";
import { writeLoraAdapter } from "./support/lora-adapter.js";
import { storiesPath } from "./support/stories-model.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "rightsize-lora-gateway-"));

/** A config file in `dir` with `small` and `small-lora` on one GGUF, paths relative to the file. */
function writeConfig(name: string, adapterPath: string): string {
  const file = path.join(dir, name);
  const model = path.relative(dir, storiesPath);
  writeFileSync(
    file,
    [
      "server: { port: 0, logLevel: silent }",
      'storage: { path: ":memory:" }',
      "models:",
      "  - id: small",
      "    provider: llama-cpp",
      `    model: ${model}`,
      "    contextSize: 512",
      "    threads: 1",
      "  - id: small-lora",
      "    provider: llama-cpp",
      `    model: ${model}`,
      "    contextSize: 512",
      "    threads: 1",
      "    lora:",
      `      - path: ${adapterPath}`,
      "        scale: 1",
      "",
    ].join("\n"),
  );
  return file;
}

async function start(file: string): Promise<RunningGateway> {
  const loaded = await loadConfig(file, {});
  return startGateway({
    config: loaded.config,
    configDir: loaded.dir,
    source: { file: loaded.file, lineOf: loaded.lineOf },
    store: new MemoryRequestLogStore(),
    port: 0,
    host: "127.0.0.1",
  });
}

let gateway: RunningGateway;
let client: OpenAI;
beforeAll(async () => {
  mkdirSync(path.join(dir, "adapters"));
  await writeLoraAdapter(path.join(dir, "adapters", "stories-lora.gguf"));
  gateway = await start(writeConfig("rightsize.yaml", "adapters/stories-lora.gguf"));
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a config with small and small-lora on one GGUF", () => {
  it("serves both through the gateway: the adapter answers differently and the base model's answer does not change", async () => {
    const ask = (model: string) =>
      client.chat.completions.create({ model, messages: [{ role: "user", content: "Once upon a time" }], temperature: 0, max_tokens: 20 });
    const before = await ask("small");
    const [base, adapted] = await Promise.all([ask("small"), ask("small-lora")]);
    expect(base.choices[0]?.message.content).toMatch(/there was/);
    expect(base.choices[0]?.message.content).toBe(before.choices[0]?.message.content);
    expect(adapted.choices[0]?.message.content).not.toBe(base.choices[0]?.message.content);
    expect(base.model).toBe("stories260K.gguf");
    expect(adapted.model).toBe("stories260K.gguf+stories-lora.gguf");
  });

  it("refuses to start when an adapter file is missing, naming file:line and the config path", async () => {
    const file = writeConfig("missing-adapter.yaml", "adapters/nope.gguf");
    const loaded = await loadConfig(file, {});
    const error = await buildGateway(loaded.config, {
      configDir: loaded.dir,
      source: { file: loaded.file, lineOf: loaded.lineOf },
      store: new MemoryRequestLogStore(),
    }).catch((caught: unknown) => caught);
    const line =
      readFileSync(file, "utf8")
        .split("\n")
        .findIndex((text) => text.includes("- path: adapters/nope.gguf")) + 1;
    expect(line).toBe(15);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `${file}:${line}: models[1].lora[0].path: LoRA adapter file ${path.join(dir, "adapters", "nope.gguf")} does not exist or is not a file`,
    );
  });

  it("refuses adapters on an embedding model in the config check", () => {
    const config = { models: [{ id: "e", provider: "llama-cpp", model: storiesPath, kind: "embedding", lora: [{ path: "a.gguf" }] }] };
    expect(() => parseConfig(config, { env: {} })).toThrow(/models\[0\]\.lora: LoRA adapters apply to chat models only/);
  });
});
