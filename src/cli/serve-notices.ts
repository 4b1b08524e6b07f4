import { existsSync } from "node:fs";
import path from "node:path";
import type { RightsizeConfig } from "../config/config-schema.js";
import { DEFAULT_SMALL_MODEL_BYTES, DEFAULT_SMALL_MODEL_REF } from "../providers/llama-cpp/default-small-model.js";
import { hfCachePath, hfDownloadUrl, parseHfReference, resolveCacheDir } from "../providers/llama-cpp/hf-reference.js";
import { OFFLINE_SMALL_MODEL_HINT, QUICKSTART_ENV } from "./default-config.js";
import type { ResolvedConfig } from "./resolve-config.js";

/**
 * What `rightsize serve` warns about before the first request finds out: quickstart
 * environment variables a config file ignores, the example's default client key, and local
 * models that are not on this machine (the first request would try to download them).
 */
export function serveNotices(resolved: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  const notices: string[] = [];
  if (resolved.origin !== "builtin") {
    const ignored = QUICKSTART_ENV.filter((name) => env[name] && !resolved.referencedEnv.has(name));
    if (ignored.length > 0) {
      const names = ignored.join(", ");
      notices.push(
        `warning: ${names} ${ignored.length === 1 ? "is" : "are"} set, but only the built-in quickstart config reads ${ignored.length === 1 ? "it" : "them"}; ` +
          `this gateway uses ${resolved.source}${resolved.origin === "cwd" ? " (found in the current folder: move it away, or pass --config, to choose)" : ""}`,
      );
    }
  }
  for (const entry of resolved.config.server.apiKeys) {
    const key = typeof entry === "string" ? entry : entry.key;
    if (key === "change-me") {
      const id = typeof entry === "string" ? "a client key" : `client key "${entry.id}"`;
      notices.push(
        `warning: ${id} is the example's default "change-me": set RIGHTSIZE_API_KEY (or edit server.apiKeys) before exposing the gateway`,
      );
    }
  }
  notices.push(...missingLocalModels(resolved.config, resolved.dir, resolved.origin === "builtin", env));
  return notices;
}

function missingLocalModels(config: RightsizeConfig, dir: string, quickstart: boolean, env: NodeJS.ProcessEnv): string[] {
  const notices: string[] = [];
  for (const model of config.models) {
    if (model.provider !== "llama-cpp") continue;
    const ref = parseHfReference(model.model);
    if (!ref) {
      const file = path.resolve(dir, model.model);
      if (!model.model.startsWith("hf:") && !existsSync(file)) notices.push(`warning: model "${model.id}": no file at ${file}`);
      continue;
    }
    const cacheDir = resolveCacheDir(model.cacheDir ? path.resolve(dir, model.cacheDir) : undefined, env);
    const cached = hfCachePath(ref, cacheDir);
    if (existsSync(cached)) continue;
    const size = model.model === DEFAULT_SMALL_MODEL_REF ? ` (${Math.round(DEFAULT_SMALL_MODEL_BYTES / 1e6)} MB)` : "";
    notices.push(
      [
        `note: model "${model.id}" (${model.model}) is not downloaded yet; the first request fetches it${size} from`,
        `  ${hfDownloadUrl(ref)}`,
        `  into ${cached}`,
        "  Without internet: download that file elsewhere and put it there (or run rightsize models pull where there is internet).",
        ...(quickstart ? [`  ${OFFLINE_SMALL_MODEL_HINT}`] : [`  Or point models[].model at a local .gguf file.`]),
      ].join("\n"),
    );
  }
  return notices;
}
