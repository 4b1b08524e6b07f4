import type { ChatRequest } from "../core/chat-request.js";
import { maxOutputTokens } from "../core/chat-request.js";
import { estimateTokens } from "../pricing/estimate-tokens.js";

export const CONTINUATION_PROMPT =
  "Your previous reply was cut off. Continue it exactly from where it stopped: do not repeat any of it, add no preamble.";

/**
 * The request that asks a model to finish a partial answer: the partial answer as an
 * assistant prefix (`prefix: true`) where the model supports it, a continuation prompt
 * otherwise. The output budget shrinks by what was already produced.
 */
export function continuationRequest(request: ChatRequest, partial: string, usePrefill: boolean): ChatRequest {
  const messages = usePrefill
    ? [...request.messages, { role: "assistant" as const, content: partial, prefix: true }]
    : [...request.messages, { role: "assistant" as const, content: partial }, { role: "user" as const, content: CONTINUATION_PROMPT }];
  const next: ChatRequest = { ...request, messages };
  const cap = maxOutputTokens(request);
  if (cap !== undefined) {
    const remaining = Math.max(1, cap - estimateTokens(partial));
    if (request.max_completion_tokens !== undefined && request.max_completion_tokens !== null) {
      next.max_completion_tokens = remaining;
    } else next.max_tokens = remaining;
  }
  return next;
}

/**
 * Length of the longest overlap (≥ 8 characters) between the end of `partial` and the start
 * of `continuation`: a model told to continue sometimes repeats the last words.
 */
export function overlapLength(partial: string, continuation: string): number {
  const max = Math.min(partial.length, continuation.length, 200);
  for (let k = max; k >= 8; k--) {
    if (partial.endsWith(continuation.slice(0, k))) return k;
  }
  return 0;
}
