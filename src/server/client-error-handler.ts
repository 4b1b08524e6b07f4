import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { RightsizeError } from "../core/errors.js";
import { toOpenAiErrorBody } from "../openai/error-body.js";
import type { ServerConfig } from "../config/config-schema.js";
import { errorHeaders } from "./error-headers.js";
import { rejectionRecord } from "./rejection-record.js";
import type { RequestOutcomes } from "./request-outcomes.js";
import { newRequestId } from "./request-id.js";

interface NodeClientError extends Error {
  code?: string;
}

/**
 * Answers what Node's HTTP parser rejects before any route sees it (a bad request line or
 * method, conflicting Content-Length, Transfer-Encoding with Content-Length, headers too large,
 * a client too slow to send its request) in OpenAI's error shape with an `x-request-id`, logs
 * and counts it, and closes the connection.
 */
export function createClientErrorHandler(
  server: ServerConfig,
  outcomes: RequestOutcomes,
): (error: NodeClientError, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const started = performance.now();
    const mapped = toClientError(error, server);
    const id = newRequestId(undefined);
    if (socket.writable) {
      const body = JSON.stringify(toOpenAiErrorBody(mapped));
      const headers = {
        "content-type": "application/json; charset=utf-8",
        "content-length": String(Buffer.byteLength(body)),
        connection: "close",
        ...errorHeaders(id, undefined),
      };
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("");
      // Whatever else the client sends is not read: close once the answer is out.
      socket.end(`HTTP/1.1 ${mapped.status} ${STATUS_CODES[mapped.status] ?? "Error"}\r\n${head}\r\n${body}`, () => socket.destroy());
    } else {
      socket.destroy();
    }
    const latencyMs = performance.now() - started;
    outcomes.reject(rejectionRecord({ id, time: Date.now(), latencyMs, status: mapped.status, error: mapped, keepBody: false }));
  };
}

function toClientError(error: NodeClientError, server: ServerConfig): RightsizeError {
  const invalid = (message: string, code: string, status = 400) =>
    new RightsizeError(message, { status, type: "invalid_request_error", code, cause: error });
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT": {
      const { headersMs, clientRequestMs } = server.timeouts;
      return invalid(
        `The request was not received in time (headers within ${headersMs} ms, the whole request within ${clientRequestMs} ms).`,
        "request_timeout",
        408,
      );
    }
    case "HPE_HEADER_OVERFLOW":
      return invalid("The request headers are too large.", "request_header_fields_too_large", 431);
    case "HPE_INVALID_METHOD":
      return invalid("The request method is not valid HTTP.", "invalid_method");
    case "HPE_UNEXPECTED_CONTENT_LENGTH":
      return invalid("The request has both Transfer-Encoding and Content-Length; send one of them.", "invalid_request_framing");
    case "HPE_INVALID_CONTENT_LENGTH":
      return invalid("The Content-Length header is invalid (conflicting values, or not a number).", "invalid_request_framing");
    case "HPE_INVALID_TRANSFER_ENCODING":
    case "HPE_INVALID_CHUNK_SIZE":
      return invalid("The request's Transfer-Encoding or chunked body is invalid.", "invalid_request_framing");
    default:
      return invalid(`The request is not valid HTTP (${error.code ?? error.message}).`, "bad_request");
  }
}
