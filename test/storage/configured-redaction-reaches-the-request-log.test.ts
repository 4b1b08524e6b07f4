import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { loadGatewayConfig } from "../../src/server/load-gateway-config.js";
import { type RunningGateway, startGateway } from "../../src/server/start-gateway.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "../support/upstream-simulator.js";

const dir = mkdtempSync(path.join(tmpdir(), "rightsize-redact-"));
let sim: UpstreamSimulator;
let running: RunningGateway;

beforeAll(async () => {
  sim = await startUpstreamSimulator();
  const file = path.join(dir, "rightsize.yaml");
  writeFileSync(
    file,
    `server: { port: 0, logLevel: silent }
models:
  - { id: small, provider: openai-compatible, model: sim-small, baseUrl: "${sim.baseUrl}" }
storage:
  path: log.db
  redact:
    extraPatterns: ["(?i)acme-[a-z0-9]{8}"]
    pii: [email, card]
`,
  );
  const { config, dir: configDir } = await loadGatewayConfig(file, {});
  running = await startGateway({ config, configDir });
});
afterAll(async () => {
  await running.close();
  await sim.close();
});

describe("storage.redact reaches the SQLite request log", () => {
  it("stores the prompt without the secret, the configured pattern and the chosen personal data", async () => {
    sim.script({ content: "Noted: write to carol@example.com." });
    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const prompt =
      "Charge 4111 1111 1111 1111 with sk_live_51Hx8YzAbCdEfGhIjKlMnOpQr for ticket ACME-AB12CD34, mail bob@example.org, call +1 415 555 0132";
    await client.chat.completions.create({ model: "small", messages: [{ role: "user", content: prompt }] });
    await running.gateway.store.flush();
    const [row] = await running.gateway.store.list();
    expect(row?.prompt).toBe(
      JSON.stringify([
        {
          role: "user",
          content: "Charge [REDACTED:card] with [REDACTED] for ticket [REDACTED], mail [REDACTED:email], call +1 415 555 0132",
        },
      ]),
    );
    expect(row?.answer).toBe("Noted: write to [REDACTED:email].");
  });
});

describe("storage.redact is checked like the rest of the config", () => {
  it("names the file, line and path of a pattern that is not a regular expression", async () => {
    const file = path.join(dir, "bad.yaml");
    writeFileSync(
      file,
      `models:\n  - { id: a, provider: openai-compatible, model: m, baseUrl: "http://127.0.0.1:1/v1" }\nstorage:\n  redact:\n    extraPatterns:\n      - "ok"\n      - "(unclosed"\n    pii: [email, fax]\n`,
    );
    const error = await loadGatewayConfig(file, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${file}:7: storage.redact.extraPatterns[1]: invalid regular expression`);
    expect((error as ConfigError).message).toContain(`${file}:8: storage.redact.pii`);
  });
});
