import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ContentFilterError,
  ContextLengthError,
  InvalidRequestError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  UpstreamError,
} from "../../../src/core/errors.js";
import { redactSecret } from "../../../src/providers/http/redact-secret.js";
import { retryAfterMs } from "../../../src/providers/http/retry-after.js";
import { upstreamErrorFromPayload, upstreamErrorFromResponse } from "../../../src/providers/http/upstream-error.js";

const context = { label: "m1", secret: "sk-live-abcdefghijklmnop" };
const openAiBody = (message: string, type: string, code: string | null = null): string =>
  JSON.stringify({ error: { message, type, param: null, code } });

describe("retryAfterMs", () => {
  it("reads retry-after-ms, retry-after seconds and retry-after HTTP dates", () => {
    expect(retryAfterMs({ "retry-after-ms": "250.4" })).toBe(250);
    expect(retryAfterMs({ "retry-after": "3" })).toBe(3000);
    expect(retryAfterMs({ "retry-after-ms": "100", "retry-after": "3" })).toBe(100);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }, now)).toBe(5000);
    expect(retryAfterMs({ "retry-after": "Wed, 31 Dec 2025 00:00:05 GMT" }, now)).toBe(0);
    expect(retryAfterMs({ "retry-after": "soon" })).toBeUndefined();
    expect(retryAfterMs({})).toBeUndefined();
  });
});

describe("upstream error mapping", () => {
  it("maps statuses to error classes", () => {
    const cases: [number, string, unknown][] = [
      [401, openAiBody("bad key", "invalid_request_error", "invalid_api_key"), AuthenticationError],
      [403, openAiBody("no", "permission_error"), PermissionDeniedError],
      [404, openAiBody("no such model", "invalid_request_error", "model_not_found"), NotFoundError],
      [429, openAiBody("slow down", "requests", "rate_limit_exceeded"), RateLimitError],
      [500, openAiBody("oops", "server_error"), UpstreamError],
      [502, "<html>bad gateway</html>", UpstreamError],
      [529, JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }), OverloadedError],
      [400, openAiBody("max context length is 8192 tokens", "invalid_request_error", "context_length_exceeded"), ContextLengthError],
      [
        400,
        JSON.stringify({
          type: "error",
          error: { type: "invalid_request_error", message: "prompt is too long: 300000 tokens > 200000 maximum" },
        }),
        ContextLengthError,
      ],
      [400, openAiBody("filtered", "invalid_request_error", "content_filter"), ContentFilterError],
      [400, openAiBody("temperature must be <= 2", "invalid_request_error"), InvalidRequestError],
      [
        400,
        JSON.stringify({
          object: "error",
          message: `This model's maximum context length is 4096 tokens. However, you requested 5000 tokens. ${"x".repeat(300)}`,
          type: "BadRequestError",
          param: null,
          code: 400,
        }),
        ContextLengthError,
      ],
    ];
    for (const [status, body, kind] of cases) {
      const error = upstreamErrorFromResponse(status, {}, body, context);
      expect(error, `${status} ${body}`).toBeInstanceOf(kind as typeof Error);
      expect(error.upstreamStatus).toBe(status);
    }
  });

  it("marks 5xx, 429 and overload retryable and 4xx not, honouring x-should-retry", () => {
    expect(upstreamErrorFromResponse(503, {}, "", context).isRetryable).toBe(true);
    expect(upstreamErrorFromResponse(529, {}, "", context).isRetryable).toBe(true);
    expect(upstreamErrorFromResponse(400, {}, "", context).isRetryable).toBe(false);
    expect(upstreamErrorFromResponse(503, { "x-should-retry": "false" }, "", context).isRetryable).toBe(false);
    expect(upstreamErrorFromResponse(400, { "x-should-retry": "true" }, "", context).isRetryable).toBe(true);
    const quota = upstreamErrorFromResponse(
      429,
      {},
      openAiBody("You exceeded your current quota", "insufficient_quota", "insufficient_quota"),
      context,
    );
    expect(quota).toBeInstanceOf(RateLimitError);
    expect(quota.isRetryable).toBe(false);
  });

  it("carries retry-after on rate limits and overloads", () => {
    expect(upstreamErrorFromResponse(429, { "retry-after": "7" }, "", context).retryAfterMs).toBe(7000);
    expect(upstreamErrorFromResponse(503, { "retry-after-ms": "40" }, "", context).retryAfterMs).toBe(40);
  });

  it("maps in-band stream error frames by type", () => {
    expect(upstreamErrorFromPayload(undefined, undefined, { error: { type: "server_error", message: "x" } }, context)).toBeInstanceOf(
      UpstreamError,
    );
    expect(
      upstreamErrorFromPayload(undefined, undefined, { type: "error", error: { type: "overloaded_error", message: "x" } }, context),
    ).toBeInstanceOf(OverloadedError);
    expect(upstreamErrorFromPayload(undefined, undefined, { error: { type: "rate_limit_error", message: "x" } }, context)).toBeInstanceOf(
      RateLimitError,
    );
  });

  it("never repeats the upstream key (or anything key-like) in a message", () => {
    const body = openAiBody(
      `Incorrect API key provided: ${context.secret}. Also sk-proj-ABCDEF123456.`,
      "invalid_request_error",
      "invalid_api_key",
    );
    const error = upstreamErrorFromResponse(401, {}, body, context);
    expect(error.message).not.toContain(context.secret);
    expect(error.message).not.toContain("ABCDEF123456");
    expect(error.message).toContain("upstream m1 answered 401");
    expect(redactSecret("key=supersecretvalue!", "supersecretvalue")).toBe("key=[redacted]!");
  });
});
