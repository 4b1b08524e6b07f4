import type { LlamaCppModelConfig } from "../../config/config-schema.js";
import type { LanguageModel } from "../../core/language-model.js";
import { defaultThreads } from "./llama-runtime.js";
import { LlamaCppModel } from "./llama-cpp-model.js";
import { LocalModelHost } from "./local-model-host.js";
import { resolveLoraAdapters } from "./lora-adapters.js";
import { resolveModelSource } from "./resolve-model-source.js";

export interface LlamaCppRuntimeOptions {
  /** Free memory in bytes for the pre-load estimate (default: `os.freemem()`); tests pass a small one. */
  availableMemoryBytes?: () => number;
}

/**
 * Builds the `llama-cpp` provider's model from its config entry. Nothing loads here: the file
 * (or `hf:` download) is resolved, checked and loaded on the first request, and unloaded after
 * `idleUnloadMs` without requests.
 */
export async function createLlamaCppModel(config: LlamaCppModelConfig, runtime: LlamaCppRuntimeOptions = {}): Promise<LanguageModel> {
  let resolved: Promise<string> | undefined;
  const resolveModelPath = () => {
    resolved ??= resolveModelSource(config.model, config.cacheDir ? { cacheDir: config.cacheDir } : {});
    resolved.catch(() => {
      resolved = undefined;
    });
    return resolved;
  };
  const host = new LocalModelHost({
    modelId: config.id,
    resolveModelPath,
    kind: config.kind,
    contextSize: config.contextSize,
    threads: config.threads ?? defaultThreads(),
    lora: resolveLoraAdapters(config),
    concurrency: config.concurrency,
    queueSize: config.queueSize,
    queueTimeoutMs: config.queueTimeoutMs,
    idleUnloadMs: config.idleUnloadMs,
    ...(runtime.availableMemoryBytes ? { availableMemoryBytes: runtime.availableMemoryBytes } : {}),
  });
  return new LlamaCppModel(config, host);
}
