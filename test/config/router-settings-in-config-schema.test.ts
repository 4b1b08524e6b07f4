import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError } from "../../src/config/config-error.js";
import { gatewayConfigJsonSchema } from "../../src/server/gateway-config-schema.js";
import { loadGatewayConfig, parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import { runCli } from "../support/run-cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "rightsize-router-settings-"));
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const models = `models:
  - { id: small, provider: openai-compatible, model: s, baseUrl: "http://127.0.0.1:1/v1", price: { input: 0.1, output: 0.1 } }
  - { id: large, provider: openai-compatible, model: l, baseUrl: "http://127.0.0.1:1/v1", price: { input: 1, output: 1 } }
`;

const cascadeWithBadGate = `${models}routers:
  - id: rightsize/cascade
    kind: cascade
    targets: [small, large]
    settings:
      gate:
        kind: all
        gates:
          - { kind: length }
          - { kind: format, json: true }
          - { kind: vibes }
`;

async function configError(file: string): Promise<ConfigError> {
  const error = await loadGatewayConfig(file, {}).catch((e: unknown) => e);
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe("each router kind's settings are part of the config schema", () => {
  it("a bad cascade gate names the file, the line and the path inside settings", async () => {
    const file = write("cascade.yaml", cascadeWithBadGate);
    const error = await configError(file);
    expect(error.message).toContain(`${file}:14: routers[0].settings.gate.gates[2].kind`);
  });

  it("unknown keys in rules settings are reported with their line, like any schema error", async () => {
    const file = write(
      "rules.yaml",
      `${models}routers:\n  - id: r\n    kind: rules\n    settings:\n      default: small\n      rules:\n        - when: { maxTokens: 5 }\n          target: large\n`,
    );
    const error = await configError(file);
    expect(error.message).toContain(`${file}:10: routers[0].settings.rules[0].when: unknown key(s) "maxTokens"`);
  });

  it("learned kinds check their settings too", () => {
    const input = parse(`${models}routers:\n  - { id: k, kind: knn, settings: { artifact: 5 } }\n`);
    expect(() => parseGatewayConfig(input, { env: {} })).toThrow(/routers\[0\]\.settings\.artifact: .*expected string/);
  });

  it("config check maps what only the factory can check (a tier that is no model) to its line", async () => {
    const file = write(
      "tiers.yaml",
      `${models}routers:\n  - id: c\n    kind: cascade\n    settings:\n      tiers:\n        - small\n        - medium\n`,
    );
    const run = await runCli("config", "check", file);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`${file}:10: routers[0].settings.tiers[1]: "medium" is not a configured model`);
  });

  it("route and serve report bad settings the same way", async () => {
    const file = write("route.yaml", `${models}routers:\n  - id: r\n    kind: rules\n    settings:\n      default: huge\n`);
    const route = await runCli("route", "hi", "--config", file);
    expect(route.code).toBe(2);
    expect(route.err).toContain(`${file}:8: routers[0].settings.default: unknown model "huge"`);
    const serve = await runCli("serve", "--config", file, "--port", "0");
    expect(serve.code).toBe(2);
    expect(serve.err).toContain(`${file}:8: routers[0].settings.default: unknown model "huge"`);
  });
});

describe("the JSON Schema knows every router kind's settings", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(gatewayConfigJsonSchema());

  it("the committed schema file is the generated one (npm run schema)", () => {
    const committed = JSON.parse(readFileSync("schema/rightsize.config.schema.json", "utf8")) as unknown;
    expect(committed).toEqual(gatewayConfigJsonSchema());
  });

  it("accepts the commented example and rejects bad settings of a known kind", () => {
    expect(validate(parse(readFileSync("examples/rightsize.yaml", "utf8")))).toBe(true);
    expect(validate(parse(cascadeWithBadGate))).toBe(false);
    expect(validate(parse(`${models}routers:\n  - { id: r, kind: rules, settings: { default: small, rulez: [] } }\n`))).toBe(false);
  });

  it("accepts any settings for a kind it does not know", () => {
    expect(validate(parse(`${models}routers:\n  - { id: r, kind: my-own-kind, settings: { whatever: 1 } }\n`))).toBe(true);
  });
});
