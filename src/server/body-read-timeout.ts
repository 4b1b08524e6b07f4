import type { IncomingHttpHeaders } from "node:http";
import type { preParsingHookHandler } from "fastify";
import { RightsizeError } from "../core/errors.js";

/**
 * A request body that stops arriving (a client that sends less than its Content-Length, or
 * stalls mid-upload) is answered with 408 after `idleMs` of silence, instead of holding the
 * connection until the whole-request deadline.
 */
export function bodyReadTimeout(idleMs: number): preParsingHookHandler {
  return (request, _reply, payload, done) => {
    const raw = request.raw;
    if (raw.complete || !hasBody(request.headers)) {
      done(null, payload);
      return;
    }
    const socket = raw.socket;
    const cleanup = () => {
      socket.setTimeout(0);
      raw.off("timeout", onTimeout);
      raw.off("end", cleanup);
      raw.off("close", cleanup);
    };
    // Node emits "timeout" on an incomplete request first (and then keeps the socket open).
    const onTimeout = () => {
      cleanup();
      raw.emit(
        "error",
        new RightsizeError(`The request body stopped arriving: nothing was received for ${idleMs} ms.`, {
          status: 408,
          type: "invalid_request_error",
          code: "request_timeout",
        }),
      );
    };
    socket.setTimeout(idleMs);
    raw.once("timeout", onTimeout);
    raw.once("end", cleanup);
    raw.once("close", cleanup);
    done(null, payload);
  };
}

function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers["transfer-encoding"] !== undefined || Number(headers["content-length"] ?? 0) > 0;
}
