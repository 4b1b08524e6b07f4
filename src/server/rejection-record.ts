import type { RightsizeError } from "../core/errors.js";
import type { RequestLogRecord } from "../storage/request-log-store.js";

/** Characters of a rejected body kept in the log (the model name, and the prompt of an authenticated caller). */
const MAX_MODEL_CHARS = 256;
const MAX_PROMPT_CHARS = 16 * 1024;

export interface RejectionInput {
  id: string;
  /** Epoch ms of arrival. */
  time: number;
  latencyMs: number;
  status: number;
  error: RightsizeError | undefined;
  callerId?: string;
  /** The parsed body, when there is one; only an authenticated caller's is kept (and only with content logging on). */
  body?: unknown;
  keepBody: boolean;
}

/**
 * The log row of a request the gateway answered without the engine (a 400, 401, 404 route,
 * 408, 413, 415, 431, a 503 while shutting down, …): status, error code, the caller when known,
 * no attempts and no cost.
 */
export function rejectionRecord(input: RejectionInput): RequestLogRecord {
  const body = isObject(input.body) ? input.body : undefined;
  const record: RequestLogRecord = {
    id: input.id,
    time: input.time,
    callerId: input.callerId ?? null,
    requestedModel: typeof body?.model === "string" ? body.model.slice(0, MAX_MODEL_CHARS) : "",
    router: null,
    score: null,
    model: null,
    reason: null,
    status: input.status,
    error: input.error?.message ?? null,
    attempts: [],
    promptTokens: 0,
    completionTokens: 0,
    usageEstimated: false,
    costUsd: 0,
    ttftMs: null,
    latencyMs: input.latencyMs,
    stream: body?.stream === true,
    finishReason: null,
    prompt: input.keepBody && body ? capped(JSON.stringify(body.messages ?? body)) : null,
    answer: null,
  };
  if (input.error?.code) record.errorCode = input.error.code;
  return record;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function capped(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length <= MAX_PROMPT_CHARS ? text : `${text.slice(0, MAX_PROMPT_CHARS)}… (${text.length} characters, cut)`;
}
