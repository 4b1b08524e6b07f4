import type { ChatRequest } from "../../core/chat-request.js";

/** What one shadow or judge call returned. */
export interface ShadowCallResult {
  text: string;
  costUsd: number;
  promptTokens: number;
  completionTokens: number;
}

/** Runs one call to `request.model` marked as shadow (never served, never logged as a request). */
export type ShadowCall = (request: ChatRequest, signal: AbortSignal) => Promise<ShadowCallResult>;
