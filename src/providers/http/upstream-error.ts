import type { IncomingHttpHeaders } from "node:http";
import {
  AuthenticationError,
  ContentFilterError,
  ContextLengthError,
  InvalidRequestError,
  NotFoundError,
  OverloadedError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
  type RightsizeError,
} from "../../core/errors.js";
import { redactSecret } from "./redact-secret.js";
import { headerValue, retryAfterMs } from "./retry-after.js";

/** Who failed, for messages; the secret is scrubbed from anything the upstream said. */
export interface UpstreamContext {
  /** The configured model id, named in messages. */
  label: string;
  secret?: string | undefined;
}

interface ErrorFields {
  message: string;
  type: string;
  code: string;
  param: string | null;
}

const CONTEXT_LENGTH = /context[_ ]length|maximum context|context window|prompt is too long|too many tokens|reduce the length/i;
const CONTENT_FILTER = /content[_ ]filter|content management policy|safety system|flagged/i;
const MAX_MESSAGE = 500;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads OpenAI (`{error:{message,type,code,param}}`), Anthropic (`{type:"error",error:{type,message}}`) and flat (`{message,type}`) bodies. */
function errorFields(payload: unknown, fallbackText: string): ErrorFields {
  const error = isRecord(payload) ? payload.error : undefined;
  if (isRecord(error)) {
    return {
      message: typeof error.message === "string" ? error.message : fallbackText,
      type: typeof error.type === "string" ? error.type : "",
      code: typeof error.code === "string" ? error.code : typeof error.code === "number" ? String(error.code) : "",
      param: typeof error.param === "string" ? error.param : null,
    };
  }
  if (typeof error === "string") return { message: error, type: "", code: "", param: null };
  if (isRecord(payload) && typeof payload.message === "string") {
    // vLLM and some other servers: {"object":"error","message":…,"type":…,"code":400}
    return {
      message: payload.message,
      type: typeof payload.type === "string" ? payload.type : "",
      code: "",
      param: typeof payload.param === "string" ? payload.param : null,
    };
  }
  return { message: fallbackText, type: "", code: "", param: null };
}

/**
 * The error for an upstream failure, from its status (undefined for an in-band stream error
 * frame), headers and parsed body. Honours retry-after(-ms) and x-should-retry.
 */
export function upstreamErrorFromPayload(
  status: number | undefined,
  headers: IncomingHttpHeaders | undefined,
  payload: unknown,
  context: UpstreamContext,
  fallbackText = "",
): RightsizeError {
  const fields = errorFields(payload, fallbackText);
  let said = redactSecret(fields.message, context.secret).trim();
  if (said.length > MAX_MESSAGE) said = `${said.slice(0, MAX_MESSAGE)}…`;
  const where = status === undefined ? "sent an error mid-stream" : `answered ${status}`;
  const message = `upstream ${context.label} ${where}${said ? `: ${said}` : ""}`;
  const shouldRetry = headerValue(headers, "x-should-retry");
  const base = {
    upstreamStatus: status,
    retryAfterMs: retryAfterMs(headers),
    ...(shouldRetry === "true" ? { retryable: true } : shouldRetry === "false" ? { retryable: false } : {}),
  };
  const kind = `${fields.type} ${fields.code}`;
  if (CONTEXT_LENGTH.test(kind) || ((status === 400 || status === 413) && CONTEXT_LENGTH.test(fields.message))) {
    return new ContextLengthError(message, { param: fields.param, ...base });
  }
  if (/content_filter/.test(kind) || ((status === 400 || status === undefined) && CONTENT_FILTER.test(fields.message))) {
    return new ContentFilterError(message, { param: fields.param, ...base });
  }
  if (/overloaded/.test(kind) || status === 529) return new OverloadedError(message, { ...base, code: "upstream_overloaded" });
  if (status === 429 || /rate_limit/.test(kind)) {
    const quota = /insufficient_quota|billing/.test(kind);
    return new RateLimitError(message, { ...(quota ? { retryable: false, code: "insufficient_quota" } : {}), ...base });
  }
  if (status === undefined) {
    if (/invalid_request/.test(kind)) return new InvalidRequestError(message, { param: fields.param, ...base });
    return new UpstreamError(message, base);
  }
  // The upstream rejected OUR key: not the caller's fault, so a distinct code (status stays 401).
  if (status === 401) return new AuthenticationError(message, { ...base, code: "upstream_authentication_failed" });
  if (status === 403) return new PermissionDeniedError(message, base);
  if (status === 404) return new NotFoundError(message, { ...base, code: fields.code || "model_not_found" });
  if (status === 408) return new TimeoutError(message, base);
  if (status === 413) return new PayloadTooLargeError(message, base);
  if (status === 409 || status >= 500) return new UpstreamError(message, base);
  return new InvalidRequestError(message, { param: fields.param, code: fields.code || null, ...base });
}

/** The error for an HTTP error response whose body was read as text. */
export function upstreamErrorFromResponse(
  status: number,
  headers: IncomingHttpHeaders,
  bodyText: string,
  context: UpstreamContext,
): RightsizeError {
  let payload: unknown;
  try {
    payload = JSON.parse(bodyText);
  } catch {
    payload = undefined;
  }
  const fallback = bodyText.length > 0 && bodyText.length < 300 && !bodyText.startsWith("<") ? bodyText : "";
  return upstreamErrorFromPayload(status, headers, payload, context, fallback);
}
