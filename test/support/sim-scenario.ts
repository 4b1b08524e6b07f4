/**
 * What the upstream simulator does for one request. Every field is optional; `{}` is a plain
 * successful answer. Faults that happen "after N tokens" count content (or tool-argument)
 * chunks; when `afterTokens` is absent they happen halfway through the answer.
 */
export type SimFault =
  /** Destroy the socket before any response byte. */
  | "reset"
  /** Never answer (the socket stays open until the client gives up). */
  | "silence"
  /** Stream: destroy the socket after N tokens. JSON: after half the body. */
  | "cut"
  /** Stream: stop sending after N tokens and keep the socket open. JSON: half the body, then nothing. */
  | "stall"
  /** Stream: a chunk that is not JSON after N tokens (the rest follows). JSON: a 200 body that is not JSON. */
  | "malformed"
  /** Stream: end the body cleanly after N tokens, without finish, usage or [DONE] / message_stop. */
  | "missing-done"
  /** Stream: an in-band error frame after N tokens, then end. JSON: a 500 error body. */
  | "error-frame";

export interface SimToolCall {
  id?: string;
  name: string;
  /** JSON text of the arguments. */
  arguments: string;
}

export interface SimScenario {
  /** Answer text (default: a short greeting; JSON when the request asked for JSON output). */
  content?: string;
  toolCalls?: SimToolCall[];
  /** OpenAI only: a refusal instead of content. */
  refusal?: string;
  finishReason?: "stop" | "length" | "tool_calls" | "content_filter";
  promptTokens?: number;
  completionTokens?: number;
  /** JSON without `usage`; stream without the usage chunk even when asked for. */
  omitUsage?: boolean;
  /** Stream without the final `[DONE]` line (finish and usage are still sent). */
  omitDone?: boolean;
  /** The logprob of every token when the request asks for logprobs (default -0.01). */
  logprob?: number;
  /** Delay before the response headers (also before error responses). */
  latencyMs?: number;
  /** Stream: delay after the headers before the first chunk. JSON: added to latencyMs. */
  firstTokenDelayMs?: number;
  /** Stream: delay between token chunks. */
  chunkDelayMs?: number;
  /** Error response status (with an OpenAI- or Anthropic-shaped error body). */
  status?: number;
  errorType?: string;
  errorCode?: string | null;
  errorMessage?: string;
  /** Extra response headers (retry-after, retry-after-ms, x-should-retry, …). */
  headers?: Record<string, string>;
  fault?: SimFault;
  afterTokens?: number;
  /** Answer 400 when the request continues an assistant message (prefix: true / final assistant turn). */
  rejectPrefill?: boolean;
  /** Answer 400 context_length_exceeded when the prompt (≈ body bytes / 4) is larger. */
  contextWindow?: number;
  /** Prompt tokens served from the upstream's prompt cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens). */
  cachedTokens?: number;
}

/** A text of exactly `tokens` simulator tokens (one word each). */
export function simText(tokens: number, word = "word"): string {
  const words: string[] = [];
  for (let i = 0; i < tokens; i++) words.push(i === 0 ? `${word}${i}` : ` ${word}${i}`);
  return words.join("");
}

/**
 * A scenario by name, for the `x-sim-scenario` header, the CLI and fault mixes:
 * ok, latency:MS, rate-limit, rate-limit-retry-after:S, rate-limit-retry-after-ms:MS,
 * rate-limit-date:S, server-error, unavailable, overloaded, context-length, content-filter,
 * reject-prefill, unauthorized, reset, silence, slow-first-token:MS, cut:N, stall:N,
 * malformed:N, missing-done:N, error-frame:N, omit-usage, omit-done.
 */
export function simScenario(name: string): SimScenario {
  const [kind = "", arg] = name.trim().split(":");
  const n = arg === undefined || arg === "" ? undefined : Number(arg);
  if (n !== undefined && !Number.isFinite(n)) throw new Error(`simulator scenario "${name}": "${arg}" is not a number`);
  switch (kind) {
    case "ok":
      return {};
    case "latency":
      return { latencyMs: n ?? 50 };
    case "rate-limit":
      return { status: 429 };
    case "rate-limit-retry-after":
      return { status: 429, headers: { "retry-after": String(n ?? 1) } };
    case "rate-limit-retry-after-ms":
      return { status: 429, headers: { "retry-after-ms": String(n ?? 100) } };
    case "rate-limit-date":
      return { status: 429, headers: { "retry-after": new Date(Date.now() + (n ?? 2) * 1000).toUTCString() } };
    case "server-error":
      return { status: 500 };
    case "unavailable":
      return { status: 503 };
    case "overloaded":
      return { status: 529, errorType: "overloaded_error", errorMessage: "Overloaded" };
    case "context-length":
      return { contextWindow: n ?? 1 };
    case "content-filter":
      return {
        status: 400,
        errorCode: "content_filter",
        errorMessage: "The response was filtered due to the prompt triggering the content management policy.",
      };
    case "reject-prefill":
      return { rejectPrefill: true };
    case "unauthorized":
      return { status: 401 };
    case "reset":
    case "silence":
      return { fault: kind };
    case "slow-first-token":
      return { firstTokenDelayMs: n ?? 200 };
    case "cut":
    case "stall":
    case "malformed":
    case "missing-done":
    case "error-frame":
      return n === undefined ? { fault: kind } : { fault: kind, afterTokens: n };
    case "omit-usage":
      return { omitUsage: true };
    case "omit-done":
      return { omitDone: true };
    default:
      throw new Error(`unknown simulator scenario "${name}"`);
  }
}
