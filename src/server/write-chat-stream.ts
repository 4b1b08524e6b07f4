import type { ServerResponse } from "node:http";
import { ClientAbortError, toRightsizeError } from "../core/errors.js";
import type { ChatStream } from "../engine/chat-engine.js";
import { ChunkEncoder } from "../openai/chunk-encoder.js";
import { routingHeaders } from "./routing-headers.js";

export interface WriteStreamOptions {
  requestId: string;
  includeUsage: boolean;
  /** Aborts when the client goes away (reason ClientAbortError) or at the request deadline. */
  signal: AbortSignal;
}

/**
 * Writes an engine stream as OpenAI SSE: headers once the first part is in hand, one frame
 * per part (respecting backpressure), `[DONE]` at the end, or an error frame when the answer
 * cannot be completed.
 */
export async function writeChatStream(res: ServerResponse, stream: ChatStream, options: WriteStreamOptions): Promise<void> {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...routingHeaders(options.requestId, stream),
  });
  const encoder = new ChunkEncoder({
    id: `chatcmpl-${options.requestId}`,
    model: stream.model.upstreamModel,
    created: Math.floor(Date.now() / 1000),
    includeUsage: options.includeUsage,
  });
  // Frames produced from one upstream read go out in one write: cork on the first frame of a
  // turn of the event loop, uncork once the loop has handled the pending I/O.
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  try {
    for await (const part of stream.parts) {
      const frame = encoder.encode(part);
      if (!frame) continue;
      if (!corked) {
        corked = true;
        res.cork();
        setImmediate(uncork);
      }
      if (!res.write(frame)) await drained(res, options.signal);
    }
    res.end(encoder.done());
  } catch (error) {
    if (options.signal.reason instanceof ClientAbortError || res.destroyed) {
      res.destroy();
      return;
    }
    res.end(encoder.error(toRightsizeError(error)));
  }
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
