/**
 * The quickstart's small tier: Qwen2.5-0.5B-Instruct, Q4_K_M (≈ 400 MB), from the official
 * Qwen GGUF repository. Downloaded once into the model cache on first use.
 */
export const DEFAULT_SMALL_MODEL_REF = "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf";
