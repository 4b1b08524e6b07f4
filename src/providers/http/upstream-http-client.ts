import type { Dispatcher, Pool } from "undici";
import { UpstreamError, type RightsizeError } from "../../core/errors.js";
import { networkError } from "./network-error.js";
import { acquirePool, releasePool } from "./pool-registry.js";
import { upstreamErrorFromPayload, upstreamErrorFromResponse, type UpstreamContext } from "./upstream-error.js";

export interface UpstreamHttpClientOptions {
  /** e.g. https://api.openai.com/v1 — request paths are appended to its path. */
  baseUrl: string;
  /** Sent with every request (auth, content-type, extra headers). */
  headers: Record<string, string>;
  maxConnections: number;
  /** The model id, named in error messages. */
  label: string;
  /** The upstream key, scrubbed from every error message. */
  secret?: string | undefined;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/** A 2xx answer to a streaming request that is not an event stream: an in-band error, or junk. */
function unexpectedBody(response: UpstreamResponse, text: string, context: UpstreamContext): RightsizeError {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    payload = undefined;
  }
  if (typeof payload === "object" && payload !== null && "error" in payload) {
    return upstreamErrorFromPayload(undefined, response.headers, payload, context);
  }
  return new UpstreamError(
    `upstream ${context.label} answered a streaming request with ${String(response.headers["content-type"])} instead of an event stream`,
    {
      upstreamStatus: response.statusCode,
    },
  );
}

/**
 * The one HTTP path to upstreams: undici `Pool.request` over a shared keep-alive pool per
 * origin. Aborting the signal destroys the request's socket, so the upstream sees the
 * disconnect. Network failures and error statuses become our error classes.
 */
export class UpstreamHttpClient {
  readonly context: UpstreamContext;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly query: string;
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;
  private closed = false;

  constructor(options: UpstreamHttpClientOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.query = url.search; // e.g. Azure's ?api-version=…, kept on every request
    this.headers = options.headers;
    this.context = { label: options.label, secret: options.secret };
    this.pool = acquirePool(this.origin, options.maxConnections);
  }

  /** The full request path for an API path such as `/chat/completions`. */
  path(apiPath: string): string {
    return this.basePath + apiPath + this.query;
  }

  /** Sends a request; resolves once the response headers arrived (any status). */
  async send(method: "GET" | "POST", path: string, body: string | undefined, signal: AbortSignal): Promise<UpstreamResponse> {
    try {
      return await this.pool.request({ method, path, headers: this.headers, body, signal });
    } catch (error) {
      throw networkError(error, signal, this.context.label);
    }
  }

  /** Reads an error response's body and maps it (status, body, retry headers) to our error. */
  async errorFrom(response: UpstreamResponse, signal: AbortSignal): Promise<RightsizeError> {
    let text = "";
    try {
      text = await response.body.text();
    } catch (error) {
      if (signal.aborted) return networkError(error, signal, this.context.label);
    }
    if (response.statusCode < 400) return unexpectedBody(response, text, this.context);
    return upstreamErrorFromResponse(response.statusCode, response.headers, text, this.context);
  }

  /** Sends and parses a JSON answer; error statuses and unreadable bodies throw. */
  async json(method: "GET" | "POST", path: string, body: string | undefined, signal: AbortSignal): Promise<unknown> {
    return (await this.jsonAndText(method, path, body, signal)).value;
  }

  /** Like `json`, with the body's text too (to pass an unchanged answer on as it came). */
  async jsonAndText(
    method: "GET" | "POST",
    path: string,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<{ value: unknown; text: string }> {
    const response = await this.send(method, path, body, signal);
    if (response.statusCode >= 400) throw await this.errorFrom(response, signal);
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw networkError(error, signal, this.context.label);
    }
    try {
      return { value: JSON.parse(text), text };
    } catch (error) {
      throw new UpstreamError(`upstream ${this.context.label} answered ${response.statusCode} with a body that is not JSON`, {
        cause: error,
        upstreamStatus: response.statusCode,
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await releasePool(this.origin, this.pool);
  }
}
