import { access } from "node:fs/promises";
import path from "node:path";
import { InvalidRequestError } from "../../core/errors.js";
import { downloadModelFile } from "./download-model-file.js";
import type { DownloadProgress } from "./download-model-file.js";
import { hfCachePath, hfDownloadUrl, isHfReference, parseHfReference, resolveCacheDir } from "./hf-reference.js";

export interface ResolveModelSourceOptions {
  cacheDir?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

/**
 * A config `model` → a local GGUF path. A plain path is resolved against the working
 * directory; an `hf:owner/repo/file.gguf` reference is looked up in the cache folder and
 * downloaded there once when missing.
 */
export async function resolveModelSource(model: string, options: ResolveModelSourceOptions = {}): Promise<string> {
  if (!isHfReference(model)) return path.resolve(model);
  const ref = parseHfReference(model);
  if (!ref) {
    throw new InvalidRequestError(`model reference ${JSON.stringify(model)} is not of the form hf:owner/repo/file.gguf`, {
      param: "model",
    });
  }
  const destination = hfCachePath(ref, resolveCacheDir(options.cacheDir));
  const cached = await access(destination).then(
    () => true,
    () => false,
  );
  if (cached) return destination;
  await downloadModelFile({
    url: hfDownloadUrl(ref),
    destination,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
  });
  return destination;
}
