import type { LlamaModel } from "node-llama-cpp";

export interface WeightsLease {
  model: LlamaModel;
  /** Gives the weights back; the last user's release disposes them. */
  release(): Promise<void>;
}

interface Entry {
  model: Promise<LlamaModel>;
  users: number;
}

/**
 * One `LlamaModel` per GGUF file in the process: configured models on the same file (e.g.
 * `small` and `small-lora`, the base with and without an adapter) share its weights and each
 * has its own context, so their sequences, KV caches and LoRA adapters stay apart. The weights
 * load with the first user and are disposed when the last one releases them.
 */
export class SharedModelWeights {
  private readonly entries = new Map<string, Entry>();

  /** Whether the file's weights are loaded or loading (a second user needs no memory for them). */
  has(modelPath: string): boolean {
    return this.entries.has(modelPath);
  }

  async acquire(modelPath: string, load: () => Promise<LlamaModel>): Promise<WeightsLease> {
    let entry = this.entries.get(modelPath);
    if (!entry) {
      const created: Entry = { model: load(), users: 0 };
      this.entries.set(modelPath, created);
      created.model.catch(() => {
        if (this.entries.get(modelPath) === created) this.entries.delete(modelPath);
      });
      entry = created;
    }
    entry.users += 1;
    const current = entry;
    let model: LlamaModel;
    try {
      model = await current.model;
    } catch (error) {
      current.users -= 1;
      throw error;
    }
    let released = false;
    return {
      model,
      release: async () => {
        if (released) return;
        released = true;
        current.users -= 1;
        if (current.users > 0) return;
        if (this.entries.get(modelPath) === current) this.entries.delete(modelPath);
        await model.dispose();
      },
    };
  }
}

/** The process's weights, shared by every local model host. */
export const sharedModelWeights = new SharedModelWeights();
