import { stat } from "node:fs/promises";
import os from "node:os";
import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaEmbeddingContext, LlamaModel } from "node-llama-cpp";
import { SequenceQueue } from "./sequence-queue.js";
import { getSharedLlama } from "./llama-runtime.js";
import { loadModelChecked } from "./load-model-checked.js";
import type { LoraAdapter } from "./lora-adapters.js";
import { ModelFileError } from "./model-file-error.js";

export interface LocalModelHostOptions {
  modelId: string;
  /** The GGUF path, resolved on first load (an hf: reference downloads then). */
  resolveModelPath: () => Promise<string>;
  kind: "chat" | "embedding";
  /** Tokens per sequence (capped at the model's training context). */
  contextSize: number;
  threads: number;
  /** LoRA adapters applied to the chat context (absolute paths); none by default. */
  lora?: readonly LoraAdapter[];
  concurrency: number;
  queueSize: number;
  queueTimeoutMs: number;
  /** Unload after this long without requests; 0 = never. */
  idleUnloadMs: number;
  /** Free memory in bytes, checked against the estimate before loading (default: os.freemem). */
  availableMemoryBytes?: () => number;
}

export interface LoadedModel {
  llama: Llama;
  /** The GGUF's weights, shared with other configured models on the same file (each has its own context). */
  model: LlamaModel;
  /** Gives this host's use of the weights back. */
  releaseModel(): Promise<void>;
  /** The chat wrapper from the GGUF chat template, or null when the file has none (plain-text fallback). */
  chatWrapper: ChatWrapper | null;
  context: LlamaContext | undefined;
  /** Tokens per sequence actually used. */
  contextSize: number;
  freeSequences: LlamaContextSequence[];
  embedding: Promise<LlamaEmbeddingContext> | undefined;
}

export interface SequenceLease {
  loaded: LoadedModel;
  sequence: LlamaContextSequence;
  release(): void;
}

/**
 * Owns one local model: loads it lazily on first use (after a file check and a memory
 * estimate), hands out its context sequences through a bounded queue, and unloads it after
 * `idleUnloadMs` without requests. The `Llama` runtime itself is shared by the process.
 */
export class LocalModelHost {
  readonly queue: SequenceQueue;
  private loading: Promise<LoadedModel> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(readonly options: LocalModelHostOptions) {
    this.queue = new SequenceQueue(options);
    this.queue.onIdleChange = () => this.armIdleTimer();
  }

  get isLoaded(): boolean {
    return this.loading !== undefined;
  }

  /** Waits for a free slot, loads the model if needed and lends one sequence. */
  async lease(signal: AbortSignal): Promise<SequenceLease> {
    const releaseSlot = await this.queue.acquire(signal);
    this.clearIdleTimer();
    try {
      const loaded = await this.load();
      const sequence = loaded.freeSequences.pop() ?? loaded.context?.getSequence();
      if (!sequence) throw new Error(`no ${this.options.kind} context for model ${this.options.modelId}`);
      let released = false;
      return {
        loaded,
        sequence,
        release: () => {
          if (released) return;
          released = true;
          loaded.freeSequences.push(sequence);
          releaseSlot();
        },
      };
    } catch (error) {
      releaseSlot();
      throw error;
    }
  }

  /** Runs `task` with the model's embedding context while holding a queue slot. */
  async withEmbedding<T>(signal: AbortSignal, task: (context: LlamaEmbeddingContext, loaded: LoadedModel) => Promise<T>): Promise<T> {
    const releaseSlot = await this.queue.acquire(signal);
    this.clearIdleTimer();
    try {
      const loaded = await this.load();
      loaded.embedding ??= loaded.model.createEmbeddingContext({
        contextSize: loaded.contextSize,
        threads: this.options.threads,
      });
      return await task(await loaded.embedding, loaded);
    } finally {
      releaseSlot();
    }
  }

  load(): Promise<LoadedModel> {
    if (!this.loading) {
      this.loading = this.loadNow();
      this.loading.catch(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  private async loadNow(): Promise<LoadedModel> {
    const modelPath = await this.options.resolveModelPath();
    const llama = await getSharedLlama();
    const { model, release, chatWrapper, contextSize } = await loadModelChecked(llama, {
      ...this.options,
      modelPath,
      availableMemoryBytes: this.options.availableMemoryBytes ?? (() => os.freemem()),
    });
    let context: LlamaContext | undefined;
    if (this.options.kind === "chat") {
      const adapters = this.options.lora ?? [];
      try {
        await assertAdaptersReadable(this.options.modelId, adapters);
        context = await model.createContext({
          contextSize,
          sequences: this.options.concurrency,
          threads: this.options.threads,
          failedCreationRemedy: false,
          ...(adapters.length > 0 ? { lora: { adapters: adapters.map((a) => ({ filePath: a.path, scale: a.scale })) } } : {}),
        });
      } catch (error) {
        await release();
        throw adapters.length > 0 ? adapterError(this.options.modelId, modelPath, adapters, error) : error;
      }
    }
    return { llama, model, releaseModel: release, chatWrapper, context, contextSize, freeSequences: [], embedding: undefined };
  }

  /** Frees the weights and contexts now (the next request loads them again). */
  async unload(): Promise<void> {
    this.clearIdleTimer();
    const loading = this.loading;
    this.loading = undefined;
    if (!loading) return;
    const loaded = await loading.catch(() => undefined);
    if (!loaded) return;
    const embedding = await loaded.embedding?.catch(() => undefined);
    await embedding?.dispose();
    await loaded.context?.dispose();
    await loaded.releaseModel();
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    const { idleUnloadMs } = this.options;
    if (idleUnloadMs === 0 || !this.loading) return;
    if (this.queue.activeCount > 0 || this.queue.waitingCount > 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.queue.activeCount === 0 && this.queue.waitingCount === 0) void this.unload();
    }, idleUnloadMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

/** An adapter file removed since start-up is named, like a missing model file. */
async function assertAdaptersReadable(modelId: string, adapters: readonly LoraAdapter[]): Promise<void> {
  for (const adapter of adapters) {
    const info = await stat(adapter.path).catch(() => undefined);
    if (!info?.isFile()) {
      throw new ModelFileError(
        `model ${modelId}: LoRA adapter file ${adapter.path} does not exist or cannot be read (check the "lora" paths in the config)`,
        adapter.path,
      );
    }
  }
}

/** llama.cpp refusing an adapter (not GGUF, another architecture, wrong shapes) → a `ModelFileError` naming the adapters. */
function adapterError(modelId: string, modelPath: string, adapters: readonly LoraAdapter[], error: unknown): unknown {
  if (error instanceof ModelFileError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const files = adapters.map((a) => a.path).join(", ");
  return new ModelFileError(
    `model ${modelId}: llama.cpp could not apply the LoRA adapter(s) ${files} to ${modelPath}: ${reason} ` +
      "(an adapter must be a llama.cpp LoRA GGUF made for this base model)",
    adapters[0]?.path ?? modelPath,
    { cause: error },
  );
}
