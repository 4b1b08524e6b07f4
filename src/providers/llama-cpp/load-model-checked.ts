import { realpath } from "node:fs/promises";
import type { ChatWrapper, Llama, LlamaModel } from "node-llama-cpp";
import { inspectModelFile } from "./inspect-model-file.js";
import { ModelFileError } from "./model-file-error.js";
import { sharedModelWeights } from "./shared-model-weights.js";

export interface LoadModelCheckedOptions {
  modelId: string;
  modelPath: string;
  kind: "chat" | "embedding";
  contextSize: number;
  concurrency: number;
  availableMemoryBytes: () => number;
}

export interface CheckedModel {
  /** The file's weights, shared with the other configured models on the same file. */
  model: LlamaModel;
  /** Gives the weights back (disposed when no configured model uses them any more). */
  release(): Promise<void>;
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
  // Weights another configured model already holds cost nothing more; its context still does.
  const weightsKey = await realpath(path).catch(() => path);
  const weights = sharedModelWeights.has(weightsKey) ? 0 : (await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 })).cpuRam;
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
  let lease: Awaited<ReturnType<typeof sharedModelWeights.acquire>>;
  try {
    lease = await sharedModelWeights.acquire(weightsKey, () => llama.loadModel({ modelPath: path, gpuLayers: 0 }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const code = error instanceof InsufficientMemoryError ? "insufficient_memory" : "model_unavailable";
    throw new ModelFileError(`model ${modelId}: llama.cpp could not load ${path}: ${reason}`, path, { cause: error, code });
  }
  const { model, release } = lease;
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  try {
    const chatWrapper =
      options.kind === "chat" && typeof template === "string" && template.trim() !== ""
        ? resolveChatWrapper(model, { warningLogs: false })
        : null;
    return { model, release, chatWrapper, contextSize };
  } catch (error) {
    await release();
    throw error;
  }
}

function mb(bytes: number): number {
  return Math.ceil(bytes / MB);
}
