import { statSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../../config/config-error.js";
import type { LlamaCppModelConfig, RightsizeConfig } from "../../config/config-schema.js";

export interface LoraAdapter {
  /** Absolute path of the adapter GGUF. */
  path: string;
  scale: number;
}

/** A configured adapter whose file is not there (index into the model's `lora` list). */
export interface MissingLoraAdapter {
  index: number;
  file: string;
}

/** The model's adapters with absolute paths (relative ones resolve against `baseDir`, default the working directory). */
export function resolveLoraAdapters(config: Pick<LlamaCppModelConfig, "lora">, baseDir = process.cwd()): LoraAdapter[] {
  return (config.lora ?? []).map((adapter) => ({ path: path.resolve(baseDir, adapter.path), scale: adapter.scale }));
}

/**
 * The adapters of a model config that are not regular files: checked when the gateway starts
 * (an adapter is never downloaded, so a wrong path is a config error, not a later 503).
 */
export function missingLoraAdapters(config: Pick<LlamaCppModelConfig, "lora">, baseDir = process.cwd()): MissingLoraAdapter[] {
  return resolveLoraAdapters(config, baseDir).flatMap((adapter, index) => (isFile(adapter.path) ? [] : [{ index, file: adapter.path }]));
}

/**
 * Every configured LoRA adapter is on disk, or a `ConfigError` naming file:line and
 * `models[i].lora[j].path` for each missing one: `rightsize serve` and `config check` stop on it
 * (an adapter is never downloaded, unlike an `hf:` model).
 */
export function assertLoraAdapterFiles(
  config: Pick<RightsizeConfig, "models">,
  configDir: string,
  source?: { file: string; lineOf?: ((path: readonly PropertyKey[]) => number | undefined) | undefined },
): void {
  const problems = config.models.flatMap((model, i) =>
    model.provider !== "llama-cpp"
      ? []
      : missingLoraAdapters(model, configDir).map(({ index, file }) => ({
          path: `models[${i}].lora[${index}].path`,
          message: `LoRA adapter file ${file} does not exist or is not a file`,
          line: source?.lineOf?.(["models", i, "lora", index, "path"]),
        })),
  );
  if (problems.length > 0) throw new ConfigError(source?.file ?? "config", problems);
}

/** How a model with adapters is named in answers: `base.gguf+adapter.gguf`. */
export function withAdapterNames(baseName: string, adapters: readonly LoraAdapter[]): string {
  return [baseName, ...adapters.map((adapter) => path.basename(adapter.path))].join("+");
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
