import type { RightsizeConfig } from "../config/config-schema.js";

/**
 * Every secret value a (loaded, env-interpolated) config holds: upstream API keys, extra
 * upstream header values (they often carry tokens) and client API keys. Pass the result as
 * `secrets` to the request log so none of them is ever stored.
 */
export function collectConfigSecrets(config: Pick<RightsizeConfig, "models" | "server">): string[] {
  const secrets = new Set<string>();
  for (const model of config.models) {
    if ("apiKey" in model && model.apiKey) secrets.add(model.apiKey);
    if ("headers" in model && model.headers) for (const value of Object.values(model.headers)) secrets.add(value);
  }
  for (const key of config.server.apiKeys) secrets.add(typeof key === "string" ? key : key.key);
  return [...secrets].filter((secret) => secret.length > 0);
}
