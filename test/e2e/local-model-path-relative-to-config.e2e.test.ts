import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { startGateway } from "../../src/server/start-gateway.js";
import { sharedDir } from "../support/shared-dir.js";

describe("a local model path in a config file", () => {
  it("is relative to the config file's folder, not the working directory", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rightsize-relative-"));
    mkdirSync(path.join(dir, "models"));
    symlinkSync(path.join(sharedDir(), "models", "stories260K.gguf"), path.join(dir, "models", "stories.gguf"));
    const file = path.join(dir, "rightsize.yaml");
    writeFileSync(
      file,
      "server: { port: 0, logLevel: silent }\nmodels:\n  - { id: stories, provider: llama-cpp, model: models/stories.gguf, contextSize: 256, threads: 1 }\nstorage: { path: ':memory:' }\n",
    );
    const { config, dir: configDir } = await loadConfig(file, {});
    const gateway = await startGateway({ config, configDir, port: 0, host: "127.0.0.1" });
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });
      const answer = await client.chat.completions.create({
        model: "stories",
        messages: [{ role: "user", content: "Once upon a time" }],
        max_tokens: 8,
        temperature: 0,
      });
      expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
    } finally {
      await gateway.close();
    }
  });
});
