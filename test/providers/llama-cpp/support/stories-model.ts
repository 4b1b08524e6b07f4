import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sharedDir as sharedFolder } from "../../../support/shared-dir.js";
import { llamaCppModelSchema } from "../../../../src/config/config-schema.js";
import type { LlamaCppModelConfig } from "../../../../src/config/config-schema.js";
import type { ChatRequest } from "../../../../src/core/chat-request.js";
import type { CallOptions } from "../../../../src/core/language-model.js";
import { createLlamaCppModel } from "../../../../src/providers/llama-cpp/create-llama-cpp-model.js";
import type { LlamaCppRuntimeOptions } from "../../../../src/providers/llama-cpp/create-llama-cpp-model.js";
import { LlamaCppModel } from "../../../../src/providers/llama-cpp/llama-cpp-model.js";

export const sharedDir = sharedFolder();
export const storiesPath = path.join(sharedDir, "models", "stories260K.gguf");

export function storiesConfig(overrides: Partial<LlamaCppModelConfig> = {}): LlamaCppModelConfig {
  return llamaCppModelSchema.parse({
    id: "stories",
    provider: "llama-cpp",
    model: storiesPath,
    contextSize: 512,
    threads: 1,
    ...overrides,
  });
}

export async function storiesModel(
  overrides: Partial<LlamaCppModelConfig> = {},
  runtime: LlamaCppRuntimeOptions = {},
): Promise<LlamaCppModel> {
  const model = await createLlamaCppModel(storiesConfig(overrides), runtime);
  if (!(model instanceof LlamaCppModel)) throw new Error("expected a LlamaCppModel");
  return model;
}

export function storyRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: "stories", messages: [{ role: "user", content: "Once upon a time" }], temperature: 0, max_tokens: 24, ...overrides };
}

export function callOptions(signal: AbortSignal = new AbortController().signal): CallOptions {
  return { signal };
}

/**
 * A tiny random-weight llama model with the Phi-3 tokenizer and chat template, written by the
 * shared make-model tool into a temp folder: exercises the chat-template and tool paths.
 */
export function makeTemplatedModel(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rightsize-llama-"));
  const out = path.join(dir, "phi-tiny.gguf");
  const vocab = path.join(sharedDir, "models", "ggml-vocab-phi-3.gguf");
  execFileSync(process.execPath, [path.join(sharedDir, "tools", "make-model.mjs"), out, vocab, "64", "2", "4", "4", "128", "Q8_0"], {
    stdio: "ignore",
  });
  return out;
}
