import type { ServerResponse } from "node:http";
import { ClientAbortError, type RightsizeError, toRightsizeError } from "../core/errors.js";
import type { ChatStream } from "../engine/chat-engine.js";
import { ChunkEncoder } from "../openai/chunk-encoder.js";
import { routingHeaders } from "./routing-headers.js";
import { withCachedTokens } from "./stream-usage-details.js";

/** Buffered frames beyond this many characters are written at once. */
const FLUSH_BYTES = 64 * 1024;

export interface WriteStreamOptions {
  requestId: string;
  includeUsage: boolean;
  /** Aborts when the client goes away (reason ClientAbortError) or at the request deadline. */
  signal: AbortSignal;
}

/**
 * Writes an engine stream as OpenAI SSE: headers once the first part is in hand, one frame
 * per part (respecting backpressure), `[DONE]` at the end, or an error frame when the answer
 * cannot be completed (the error is returned). Trailers go only to clients that take them
 * (HTTP/1.1 with `TE: trailers`); an HTTP/1.0 client gets the same stream, ended by closing the
 * connection.
 */
export async function writeChatStream(
  res: ServerResponse,
  stream: ChatStream,
  options: WriteStreamOptions,
): Promise<RightsizeError | undefined> {
  const trailers = acceptsTrailers(res);
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    // No explicit connection header: Node keeps the connection alive unless the client asked to close it.
    ...(trailers ? { trailer: STREAM_TRAILERS } : {}),
    ...routingHeaders(options.requestId, stream),
  });
  const encoder = new ChunkEncoder({
    id: `chatcmpl-${options.requestId}`,
    model: stream.model.upstreamModel,
    created: Math.floor(Date.now() / 1000),
    includeUsage: options.includeUsage,
  });
  // Frames produced in one turn of the event loop (typically from one upstream read) leave as
  // one chunk, written once the loop has handled the pending I/O; a full buffer waits for drain.
  let pending = "";
  let scheduled = false;
  let blocked: Promise<void> | undefined;
  const flush = () => {
    scheduled = false;
    if (pending === "" || res.destroyed) return;
    const chunk = pending;
    pending = "";
    if (!res.write(chunk)) {
      blocked = drained(res, options.signal).then(() => {
        blocked = undefined;
      });
    }
  };
  try {
    for await (const part of stream.parts) {
      const frame = encoder.encode(part.type === "usage" ? { ...part, usage: withCachedTokens(part.usage, stream.attempts) } : part);
      if (!frame) continue;
      pending += frame;
      if (pending.length >= FLUSH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      if (blocked) await blocked;
    }
    if (trailers) res.addTrailers(streamTrailers(stream));
    res.end(pending + encoder.done());
    return undefined;
  } catch (thrown) {
    const error = toRightsizeError(thrown);
    if (options.signal.reason instanceof ClientAbortError || res.destroyed) {
      res.destroy();
      return error;
    }
    if (trailers) res.addTrailers(streamTrailers(stream));
    res.end(pending + encoder.error(error));
    return error;
  } finally {
    pending = "";
  }
}

/**
 * What is only known once a stream has ended, sent as HTTP trailers (clients that read
 * trailers get them; others ignore them): the cost over every attempt, the attempt count and
 * the model that finished the answer (another one when the stream was continued elsewhere).
 */
const STREAM_TRAILERS = "x-rightsize-cost-usd, x-rightsize-final-attempts, x-rightsize-final-model";

/** HTTP/1.1 (or later) with `TE: trailers`: the client can take trailers (Node sends them only with chunked encoding). */
function acceptsTrailers(res: ServerResponse): boolean {
  const { req } = res;
  if (req.httpVersionMajor !== 1 || req.httpVersionMinor < 1) return false;
  const te = req.headers.te;
  return (
    te !== undefined &&
    String(te)
      .split(",")
      .some((token) => token.split(";")[0]?.trim().toLowerCase() === "trailers")
  );
}

function streamTrailers(stream: ChatStream): Record<string, string> {
  let cost = 0;
  let finalModel = stream.model.id;
  for (const attempt of stream.attempts) {
    cost += attempt.costUsd ?? 0;
    if (attempt.outcome === "ok") finalModel = attempt.model;
  }
  return {
    "x-rightsize-cost-usd": cost.toFixed(8),
    "x-rightsize-final-attempts": String(stream.attempts.length),
    "x-rightsize-final-model": finalModel,
  };
}

function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    res.once("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}
