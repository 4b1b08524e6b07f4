import path from "node:path";
import { pathToFileURL } from "node:url";
import { sharedDir, storiesPath } from "./stories-model.js";

/** The parts of `../shared/tools/gguf-lib.mjs` these tests use (a plain .mjs without types). */
interface GgufLib {
  T: Record<"STR" | "F32", number>;
  readGGUF(file: string): { kv: Map<string, { type: number; value: unknown }>; tensors: { name: string; dims: number[] }[] };
  GGUFWriter: new () => {
    add(key: string, type: number, value: unknown): void;
    addTensor(name: string, dims: number[], ggmlType: number, nbytes: number, fill: (buffer: Buffer) => void): void;
    write(file: string): number;
  };
}

const GGML_F32 = 0;

export interface LoraAdapterOptions {
  /** The base model whose tensor shapes the adapter matches (default stories260K). */
  baseModel?: string;
  rank?: number;
  alpha?: number;
  /** Seed of the deterministic pseudo-random A and B matrices. */
  seed?: number;
  /** Projections adapted in every block (default the attention query and the FFN down projection). */
  projections?: string[];
  /** Adds this many columns to each lora_b (a deliberately wrong shape). */
  skewOutputs?: number;
}

/**
 * Writes a llama.cpp LoRA adapter GGUF for the base model: `general.type` adapter,
 * `adapter.type` lora, `adapter.lora.alpha`, and per adapted weight W (ggml shape [n_in, n_out])
 * an F32 `….lora_a` of shape [n_in, r] and `….lora_b` of shape [r, n_out] (ΔW = B·A · alpha/r).
 */
export async function writeLoraAdapter(file: string, options: LoraAdapterOptions = {}): Promise<string> {
  const lib = (await import(pathToFileURL(path.join(sharedDir, "tools", "gguf-lib.mjs")).href)) as GgufLib;
  const base = lib.readGGUF(options.baseModel ?? storiesPath);
  const architecture = base.kv.get("general.architecture")?.value;
  if (typeof architecture !== "string") throw new Error("the base model names no general.architecture");
  const rank = options.rank ?? 4;
  const projections = options.projections ?? ["attn_q", "ffn_down"];
  const pattern = new RegExp(`^blk\\.\\d+\\.(${projections.join("|")})\\.weight$`);
  const writer = new lib.GGUFWriter();
  writer.add("general.architecture", lib.T.STR, architecture);
  writer.add("general.type", lib.T.STR, "adapter");
  writer.add("adapter.type", lib.T.STR, "lora");
  writer.add("adapter.lora.alpha", lib.T.F32, options.alpha ?? rank);
  let state = options.seed ?? 1;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648 - 0.5;
  };
  const fill = (count: number) => (buffer: Buffer) => {
    for (let i = 0; i < count; i++) buffer.writeFloatLE(next(), i * 4);
  };
  let adapted = 0;
  for (const tensor of base.tensors) {
    if (!pattern.test(tensor.name)) continue;
    const [nIn, nOutBase] = tensor.dims;
    if (nIn === undefined || nOutBase === undefined) continue;
    const nOut = nOutBase + (options.skewOutputs ?? 0);
    writer.addTensor(`${tensor.name}.lora_a`, [nIn, rank], GGML_F32, nIn * rank * 4, fill(nIn * rank));
    writer.addTensor(`${tensor.name}.lora_b`, [rank, nOut], GGML_F32, rank * nOut * 4, fill(rank * nOut));
    adapted++;
  }
  if (adapted === 0) throw new Error(`the base model has no ${projections.join("/")} weights to adapt`);
  writer.write(file);
  return file;
}
