import { StringDecoder } from "node:string_decoder";
import { StreamInterruptedError, TimeoutError, type RightsizeError } from "../../core/errors.js";
import type { CallOptions } from "../../core/language-model.js";
import type { StreamPart } from "../../core/stream-part.js";
import { SseParser, type SseEvent } from "../sse/sse-parser.js";
import { abortError, networkError } from "./network-error.js";
import type { UpstreamHttpClient } from "./upstream-http-client.js";

/** A provider's small hook into the shared streaming path: upstream events → StreamParts. */
export interface SseStreamHandler {
  /**
   * Maps one SSE event, pushing parts onto `out`. Returns true when the event ends the
   * stream (`[DONE]`, `message_stop`). Throws a RightsizeError for malformed or error events.
   */
  onEvent(event: SseEvent, out: StreamPart[]): boolean;
  /**
   * The body ended; `complete` says whether the terminal event was seen. Pushes closing parts
   * (estimated usage) or throws StreamInterruptedError for a truncated answer.
   */
  onEnd(complete: boolean, out: StreamPart[]): void;
}

/** A missing content type is tolerated (some local servers omit it); JSON or HTML is not a stream. */
function isEventStream(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return value === undefined || !/json|html/i.test(value);
}

function hasContent(parts: StreamPart[]): boolean {
  for (const part of parts) if (part.type !== "start") return true;
  return false;
}

/**
 * POSTs a streaming request and yields the handler's parts. Deadlines:
 * - `firstTokenTimeoutMs`: from the call until the first part other than `start`
 *   (`start` is held back and yielded with it), else TimeoutError from the first `next()`;
 * - `idleTimeoutMs`: longest upstream silence after that, else StreamInterruptedError
 *   (time the consumer spends between `next()` calls does not count).
 * Any failure, early `return()` or abort destroys the upstream socket.
 */
export async function* streamUpstreamSse(
  client: UpstreamHttpClient,
  path: string,
  body: string,
  options: CallOptions,
  handler: SseStreamHandler,
): AsyncGenerator<StreamPart, void, undefined> {
  const { signal, firstTokenTimeoutMs, idleTimeoutMs } = options;
  const label = client.context.label;
  if (signal.aborted) throw abortError(signal);
  const controller = new AbortController();
  let failure: RightsizeError | undefined;
  const fail = (error: RightsizeError): void => {
    if (failure) return;
    failure = error;
    controller.abort(error);
  };
  const onAbort = (): void => fail(abortError(signal));
  signal.addEventListener("abort", onAbort, { once: true });

  let complete = false;
  let waiting = true;
  let idleAfterComplete = false;
  const onIdle = (): void => {
    if (!waiting) {
      timer?.refresh();
      return;
    }
    if (complete) {
      idleAfterComplete = true;
      controller.abort();
      return;
    }
    fail(new StreamInterruptedError(`upstream ${label} stream went silent for more than ${idleTimeoutMs} ms`));
  };
  let timer: NodeJS.Timeout | undefined = firstTokenTimeoutMs
    ? setTimeout(
        () => fail(new TimeoutError(`upstream ${label} sent no first token within ${firstTokenTimeoutMs} ms`)),
        firstTokenTimeoutMs,
      )
    : undefined;
  let clean = false;
  try {
    const response = await client.send("POST", path, body, controller.signal).catch((error: unknown) => {
      throw failure ?? error;
    });
    if (response.statusCode >= 400 || !isEventStream(response.headers["content-type"])) {
      throw failure ?? (await client.errorFrom(response, controller.signal));
    }
    const out: StreamPart[] = [];
    let started = false;
    // A handler error (malformed chunk, error frame) stops parsing; the parts mapped before
    // it in the same network chunk are still yielded, then the error is thrown.
    let eventError: unknown;
    const parser = new SseParser((event) => {
      if (complete || eventError !== undefined) return;
      try {
        complete = handler.onEvent(event, out);
      } catch (error) {
        eventError = error;
      }
    });
    // StringDecoder joins a multi-byte character split across chunks, cheaper than TextDecoder's stream mode.
    const decoder = new StringDecoder("utf8");
    try {
      for await (const chunk of response.body) {
        parser.feed(decoder.write(chunk as Buffer));
        if (out.length > 0 && (started || hasContent(out))) {
          if (!started) {
            started = true;
            clearTimeout(timer);
            timer = idleTimeoutMs ? setTimeout(onIdle, idleTimeoutMs) : undefined;
          }
          waiting = false;
          for (const part of out) {
            yield part;
            if (failure) throw failure;
          }
          out.length = 0;
          waiting = true;
          timer?.refresh();
        }
        if (eventError !== undefined) throw eventError;
      }
    } catch (error) {
      // After the terminator, a body that never closes is cut by the idle timer: that is a clean end.
      if (!(idleAfterComplete && !failure)) throw failure ?? networkError(error, controller.signal, label, true);
    }
    if (failure) throw failure;
    handler.onEnd(complete, out);
    for (const part of out) yield part;
    clean = true;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
    if (!clean && !controller.signal.aborted) controller.abort();
  }
}
