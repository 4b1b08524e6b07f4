/**
 * One base error with subclasses per kind. Each carries the HTTP status the gateway answers
 * with, the OpenAI error `type` and `code`, whether a retry may help, and how long to wait.
 */
export interface RightsizeErrorOptions {
  status?: number;
  type?: string;
  code?: string | null;
  param?: string | null;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
  /** The upstream status, when the error came from an upstream. */
  upstreamStatus?: number;
}

export class RightsizeError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly isRetryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly upstreamStatus: number | undefined;

  constructor(message: string, options: RightsizeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
    this.type = options.type ?? "server_error";
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.isRetryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamStatus = options.upstreamStatus;
  }
}

type Narrow = Omit<RightsizeErrorOptions, "status" | "type">;

export class InvalidRequestError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { ...options, status: 400, type: "invalid_request_error" });
  }
}

export class AuthenticationError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { code: "invalid_api_key", ...options, status: 401, type: "authentication_error" });
  }
}

export class PermissionDeniedError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { ...options, status: 403, type: "permission_error" });
  }
}

export class NotFoundError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { code: "model_not_found", ...options, status: 404, type: "invalid_request_error" });
  }
}

export class PayloadTooLargeError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { code: "request_too_large", ...options, status: 413, type: "invalid_request_error" });
  }
}

/** The prompt does not fit the model's context window: another model with a larger window may serve it. */
export class ContextLengthError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, {
      code: "context_length_exceeded",
      ...options,
      status: 400,
      type: "invalid_request_error",
    });
  }
}

/** The upstream refused the content. Surfaced to the caller; never retried blindly. */
export class ContentFilterError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { code: "content_filter", ...options, status: 400, type: "invalid_request_error" });
  }
}

export class RateLimitError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { code: "rate_limit_exceeded", retryable: true, ...options, status: 429, type: "rate_limit_error" });
  }
}

/** An upstream answered with a server error (5xx) or an unusable body. */
export class UpstreamError extends RightsizeError {
  constructor(message: string, options: Narrow & { status?: number } = {}) {
    super(message, { code: "upstream_error", retryable: true, ...options, status: options.status ?? 502, type: "api_error" });
  }
}

/** The connection to an upstream failed (refused, reset, DNS, TLS). */
export class ConnectionError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { code: "upstream_connection_error", retryable: true, ...options, status: 502, type: "api_error" });
  }
}

/** A deadline passed: per attempt, first token, stream idle, or the whole request. */
export class TimeoutError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { code: "timeout", retryable: true, ...options, status: 504, type: "timeout_error" });
  }
}

/** No capacity now (queue full, every target cooling down). */
export class OverloadedError extends RightsizeError {
  constructor(message: string, options: Narrow & { status?: number } = {}) {
    super(message, { code: "overloaded", retryable: true, ...options, status: options.status ?? 503, type: "server_error" });
  }
}

/** An upstream stream broke after it had started (reset, stall, malformed chunk, no [DONE]). */
export class StreamInterruptedError extends RightsizeError {
  constructor(message: string, options: Narrow = {}) {
    super(message, { code: "stream_interrupted", retryable: true, ...options, status: 502, type: "api_error" });
  }
}

/** The client went away; nothing to answer. */
export class ClientAbortError extends RightsizeError {
  constructor(message = "the client closed the connection", options: Narrow = {}) {
    super(message, { code: "client_closed_request", ...options, status: 499, type: "invalid_request_error" });
  }
}

/** Wrap anything thrown into a RightsizeError (an unknown error is a 500 that says what it was). */
export function toRightsizeError(error: unknown): RightsizeError {
  if (error instanceof RightsizeError) return error;
  if (error instanceof Error && error.name === "AbortError") {
    return new ClientAbortError("the request was cancelled", { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RightsizeError(`internal error: ${message}`, { cause: error, status: 500 });
}
