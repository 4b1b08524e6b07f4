import { InvalidRequestError, NotFoundError, PayloadTooLargeError, RightsizeError, toRightsizeError } from "../core/errors.js";

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
}

/** Maps framework errors (body parsing, limits, routing) and anything else to a RightsizeError. */
export function toHttpError(error: unknown, bodyLimit: number): RightsizeError {
  if (error instanceof RightsizeError) return error;
  const e = error as FastifyLikeError;
  switch (e?.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new PayloadTooLargeError(`The request body is larger than the limit of ${bodyLimit} bytes.`);
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new InvalidRequestError(`The request body is not valid JSON: ${e.message}`, { code: "invalid_json" });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new RightsizeError("Send the request body as application/json.", {
        status: 415,
        type: "invalid_request_error",
        code: "unsupported_media_type",
      });
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new InvalidRequestError("The Content-Length header does not match the body.", { code: "invalid_body" });
    default:
      break;
  }
  if (e instanceof SyntaxError) {
    return new InvalidRequestError(`The request body is not valid JSON: ${e.message}`, { code: "invalid_json" });
  }
  if (typeof e?.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    return e.statusCode === 404
      ? new NotFoundError(e.message, { code: "not_found" })
      : new RightsizeError(e.message, { status: e.statusCode, type: "invalid_request_error", code: e.code ?? null });
  }
  return toRightsizeError(error);
}
