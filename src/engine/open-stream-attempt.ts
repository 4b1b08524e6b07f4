import type { ChatRequest } from "../core/chat-request.js";
import type { ChatResult } from "../core/chat-result.js";
import { UpstreamError } from "../core/errors.js";
import type { LanguageModel } from "../core/language-model.js";
import type { StreamPart } from "../core/stream-part.js";

export interface OpenedStream {
  iterator: AsyncIterator<StreamPart>;
  /** Parts pulled so far: metadata, then the first content-bearing part (a whole answer's every part). */
  head: StreamPart[];
  /** A JSON request's answer as the model returned it (its parts are `head`). */
  result?: ChatResult;
}

export interface StreamTimeouts {
  firstTokenMs: number;
  idleStreamMs: number;
}

/**
 * Starts a stream and pulls it up to its first content-bearing part, so that a failure
 * before anything reaches the client counts as a failed attempt and can fall back.
 */
export async function openStreamAttempt(
  model: LanguageModel,
  request: ChatRequest,
  signal: AbortSignal,
  timeouts: StreamTimeouts,
): Promise<OpenedStream> {
  const iterator = model
    .stream(request, { signal, firstTokenTimeoutMs: timeouts.firstTokenMs, idleTimeoutMs: timeouts.idleStreamMs })
    [Symbol.asyncIterator]();
  const head: StreamPart[] = [];
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) throw new UpstreamError(`model ${model.id} ended its stream without an answer`);
      const part = next.value;
      head.push(part);
      if (part.type !== "start" && part.type !== "usage") return { iterator, head };
    }
  } catch (error) {
    await iterator.return?.().catch(() => undefined);
    throw error;
  }
}
