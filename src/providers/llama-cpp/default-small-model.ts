/**
 * The quickstart's small tier: Qwen2.5-0.5B-Instruct, Q8_0, from Qwen's own GGUF repository
 * (Apache-2.0, 676 MB, 32K context, a chat template with native tool calls that node-llama-cpp
 * recognises). Q8_0 rather than Q4_K_M because 4-bit quantisation costs a 0.5B model noticeably
 * more quality than it costs a large one; `qwen2.5-0.5b-instruct-q4_k_m.gguf` in the same
 * repository is the lighter alternative.
 * URL: https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q8_0.gguf
 */
export const DEFAULT_SMALL_MODEL_REF = "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf";

/** Its size in bytes (for a progress bar before the server answers with a length). */
export const DEFAULT_SMALL_MODEL_BYTES = 675_710_816;
