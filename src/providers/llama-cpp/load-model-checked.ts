import type { ChatWrapper, Llama, LlamaModel } from "node-llama-cpp";
import { inspectModelFile } from "./inspect-model-file.js";
import { ModelFileError } from "./model-file-error.js";

export interface LoadModelCheckedOptions {
  modelId: string;
  modelPath: string;
  kind: "chat" | "embedding";
  contextSize: number;
  concurrency: number;
  availableMemoryBytes: () => number;
}

export interface CheckedModel {
  model: LlamaModel;
  chatWrapper: ChatWrapper | null;
  /** The context size actually used: the configured one, capped at the training context. */
  contextSize: number;
}

const MB = 1024 * 1024;

/**
 * Loads a GGUF model after checking the file (exists, GGUF, complete) and estimating the
 * memory it needs (weights + KV cache of every sequence): a model that will not fit in the
 * free memory is refused with a clear error instead of pushing the machine into swap.
 */
export async function loadModelChecked(llama: Llama, options: LoadModelCheckedOptions): Promise<CheckedModel> {
  const { modelPath: path, modelId } = options;
  const inspected = await inspectModelFile(path);
  const { GgufInsights, InsufficientMemoryError, resolveChatWrapper } = await import("node-llama-cpp");
  const insights = await GgufInsights.from(inspected.fileInfo, llama);
  const trainContext = insights.trainContextSize;
  const contextSize = trainContext ? Math.min(options.contextSize, trainContext) : options.contextSize;
  const weights = (await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 })).cpuRam;
  const context = (
    await insights.estimateContextResourceRequirementsV2({
      contextSize,
      modelGpuLayers: 0,
      sequences: options.kind === "chat" ? options.concurrency : 1,
      isEmbeddingContext: options.kind === "embedding",
    })
  ).cpuRam;
  const available = options.availableMemoryBytes();
  if (weights + context > available) {
    throw new ModelFileError(
      `model ${modelId} (${path}) needs about ${mb(weights + context)} MB (weights ${mb(weights)} MB + context ${mb(context)} MB for ` +
        `${contextSize} tokens × ${options.concurrency} sequences) but only ${mb(available)} MB of memory is free; ` +
        `lower contextSize or concurrency, or use a smaller quantization`,
      path,
      { code: "insufficient_memory" },
    );
  }
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const code = error instanceof InsufficientMemoryError ? "insufficient_memory" : "model_unavailable";
    throw new ModelFileError(`model ${modelId}: llama.cpp could not load ${path}: ${reason}`, path, { cause: error, code });
  }
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  const chatWrapper =
    options.kind === "chat" && typeof template === "string" && template.trim() !== ""
      ? resolveChatWrapper(model, { warningLogs: false })
      : null;
  return { model, chatWrapper, contextSize };
}

function mb(bytes: number): number {
  return Math.ceil(bytes / MB);
}
