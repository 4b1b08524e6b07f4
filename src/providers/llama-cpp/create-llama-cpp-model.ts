import type { LlamaCppModelConfig } from "../../config/config-schema.js";
import type { LanguageModel } from "../../core/language-model.js";

// PLACEHOLDER: being implemented (issue 4).
export async function createLlamaCppModel(config: LlamaCppModelConfig): Promise<LanguageModel> {
  throw new Error(`llama-cpp provider not implemented yet (model ${config.id})`);
}
