import os from "node:os";
import path from "node:path";

/** A Hugging Face file reference `hf:owner/repo/path/to/file.gguf` (optionally `hf:owner/repo:revision/file`). */
export interface HfReference {
  owner: string;
  repo: string;
  revision: string;
  file: string;
}

const HF_PATTERN = /^hf:([A-Za-z0-9][\w.-]*)\/([\w.-]+?)(?::([\w.-]+))?\/(.+\.gguf)$/;

export function isHfReference(model: string): boolean {
  return model.startsWith("hf:");
}

/** Parses an `hf:` reference; null when it is malformed. */
export function parseHfReference(model: string): HfReference | null {
  const match = HF_PATTERN.exec(model);
  if (!match) return null;
  const [, owner = "", repo = "", revision = "main", file = ""] = match;
  if (file.split("/").some((segment) => segment === ".." || segment === "")) return null;
  return { owner, repo, revision, file };
}

/** Where the file is downloaded from. */
export function hfDownloadUrl(ref: HfReference): string {
  const file = ref.file.split("/").map(encodeURIComponent).join("/");
  return `https://huggingface.co/${ref.owner}/${ref.repo}/resolve/${encodeURIComponent(ref.revision)}/${file}`;
}

/** Where the file lives in the cache: `<cacheDir>/<owner>/<repo>/<revision>/<file>`. */
export function hfCachePath(ref: HfReference, cacheDir: string): string {
  return path.join(cacheDir, ref.owner, ref.repo, ref.revision, ...ref.file.split("/"));
}

/**
 * The model cache folder: the config's `cacheDir`, else `RIGHTSIZE_MODELS_DIR`, else
 * `$XDG_CACHE_HOME/rightsize/models`, else `~/.cache/rightsize/models`.
 */
export function resolveCacheDir(configured?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (configured) return path.resolve(expandHome(configured));
  if (env.RIGHTSIZE_MODELS_DIR) return path.resolve(expandHome(env.RIGHTSIZE_MODELS_DIR));
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
  return path.join(base, "rightsize", "models");
}

function expandHome(value: string): string {
  return value === "~" || value.startsWith("~/") ? path.join(os.homedir(), value.slice(1)) : value;
}
