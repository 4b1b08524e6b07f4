import type { ChatRequest } from "./chat-request.js";
import type { ChatResult } from "./chat-result.js";
import type { StreamPart } from "./stream-part.js";

export interface CallOptions {
  /** Aborts the upstream call: client disconnect, deadline or engine decision. */
  signal: AbortSignal;
  /** Milliseconds to wait for the first token of a stream before giving up on this attempt. */
  firstTokenTimeoutMs?: number;
  /** Milliseconds a stream may stay silent between parts before it counts as broken. */
  idleTimeoutMs?: number;
}

export interface EmbeddingRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
  encoding_format?: "float" | "base64";
  user?: string;
  /** rightsize's own callers: a text longer than a local model's context is cut to fit instead of refused. */
  truncate?: boolean;
  [key: string]: unknown;
}

export interface EmbeddingResult {
  model: string;
  embeddings: number[][];
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface ModelCapabilities {
  /** Accepts an assistant message with `prefix: true` as the start of its answer (continuation). */
  assistantPrefill: boolean;
  /** Returns token logprobs when asked. */
  logprobs: boolean;
  /** Serves `/v1/embeddings`. */
  embeddings: boolean;
}

/**
 * A model rightsize can call. `stream` yields `StreamPart`s; an error before the first part
 * is thrown from the iterator's first `next()`, an error after it is thrown mid-iteration
 * (also one the provider learns of in-band, e.g. an error frame).
 */
export interface LanguageModel {
  /** The configured model id (what clients and routers name). */
  readonly id: string;
  /** The provider kind (`openai-compatible`, `anthropic`, `llama-cpp`, …). */
  readonly provider: string;
  /** The model name sent upstream. */
  readonly upstreamModel: string;
  readonly capabilities: ModelCapabilities;
  generate(request: ChatRequest, options: CallOptions): Promise<ChatResult>;
  stream(request: ChatRequest, options: CallOptions): AsyncIterable<StreamPart>;
  embed?(request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingResult>;
  /** Releases pools, loaded weights, sockets. */
  close?(): Promise<void>;
}
