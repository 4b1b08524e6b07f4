import type { ModelConfig } from "../config/config-schema.js";
import type { LanguageModel } from "../core/language-model.js";

/**
 * Builds a `LanguageModel` from its config entry. Each provider kind lives in its own folder;
 * the embedded llama.cpp provider is imported lazily so the library works without it.
 */
export async function createLanguageModel(config: ModelConfig): Promise<LanguageModel> {
  switch (config.provider) {
    case "openai-compatible": {
      const { OpenAiCompatibleModel } = await import("./openai-compatible/openai-compatible-model.js");
      return new OpenAiCompatibleModel(config);
    }
    case "anthropic": {
      const { AnthropicModel } = await import("./anthropic/anthropic-model.js");
      return new AnthropicModel(config);
    }
    case "llama-cpp": {
      const { createLlamaCppModel } = await import("./llama-cpp/create-llama-cpp-model.js");
      return createLlamaCppModel(config);
    }
  }
}
