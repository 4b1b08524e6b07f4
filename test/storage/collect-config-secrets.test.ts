import { expect, it } from "vitest";
import { parseConfig } from "../../src/config/load-config.js";
import { collectConfigSecrets } from "../../src/storage/collect-config-secrets.js";

it("collects upstream API keys, upstream header values and client keys from a config", () => {
  const config = parseConfig(
    {
      server: { apiKeys: ["client-key-plain", { id: "team-b", key: "${CLIENT_B_KEY}" }] },
      models: [
        { id: "gpt", provider: "openai-compatible", model: "gpt-4o", baseUrl: "https://api.openai.com/v1", apiKey: "${OPENAI_API_KEY}" },
        { id: "claude", provider: "anthropic", model: "claude-x", apiKey: "sk-ant-literal", headers: { "x-proxy-token": "proxy-tok-1" } },
        { id: "local", provider: "openai-compatible", model: "m", baseUrl: "http://127.0.0.1:8000/v1" },
      ],
    },
    { env: { OPENAI_API_KEY: "sk-from-env-123", CLIENT_B_KEY: "client-b-secret" } },
  );
  expect(collectConfigSecrets(config).sort()).toEqual(
    ["client-b-secret", "client-key-plain", "proxy-tok-1", "sk-ant-literal", "sk-from-env-123"].sort(),
  );
});
