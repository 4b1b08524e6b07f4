import { ContextLengthError } from "../../core/errors.js";

/** A prompt must leave room for at least one generated token in the sequence's context. */
export function assertPromptFits(promptTokens: number, contextSize: number, modelId: string): void {
  if (promptTokens >= contextSize) {
    throw new ContextLengthError(
      `the prompt is ${promptTokens} tokens but local model ${modelId} has a context of ${contextSize} tokens (contextSize in the config, capped at the model's training context)`,
    );
  }
}
