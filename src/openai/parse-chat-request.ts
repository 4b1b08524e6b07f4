import type { ChatRequest } from "../core/chat-request.js";
import { InvalidRequestError } from "../core/errors.js";
import { chatRequestSchema } from "../core/chat-request-schema.js";
import { fastChatRequest } from "./fast-chat-request.js";

/**
 * Validates a parsed JSON body; the error names the offending field (`messages[1].role`). The
 * common shape takes a cheap structural check (same result as the schema); the rest, and every
 * invalid body, go through the schema.
 */
export function parseChatRequest(body: unknown): ChatRequest {
  const fast = fastChatRequest(body);
  if (fast) return fast;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new InvalidRequestError("the request body must be a JSON object", { code: "invalid_body" });
  }
  const result = chatRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue ? formatParam(issue.path) : null;
  const detail = issue?.message ?? "invalid request";
  throw new InvalidRequestError(param ? `Invalid value for '${param}': ${detail}` : detail, {
    param,
    code: "invalid_value",
  });
}

function formatParam(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null;
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}
