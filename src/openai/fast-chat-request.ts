import type { ChatRequest } from "../core/chat-request.js";
import { chatRequestSchema } from "../core/chat-request-schema.js";

type Plain = Record<string, unknown>;
type Check = (value: unknown) => boolean;

const ROLES: ReadonlySet<unknown> = new Set(["system", "developer", "user", "assistant", "tool"]);
const TOOL_CHOICES: ReadonlySet<unknown> = new Set(["none", "auto", "required"]);

const isPlain = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
const nullable =
  (check: Check): Check =>
  (value) =>
    value === null || check(value);
const isBoolean: Check = (value) => typeof value === "boolean";
const isString: Check = (value) => typeof value === "string";
const integerIn =
  (min: number, max: number): Check =>
  (value) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
const numberIn =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;

/**
 * The top-level fields whose common values are primitives, with a check that only accepts what
 * `chatRequestSchema` accepts for them. A field not listed here (and not model, messages or
 * stream_options) makes the fast path give the body to zod.
 */
const SCALARS: Readonly<Record<string, Check>> = {
  stream: nullable(isBoolean),
  max_tokens: nullable(integerIn(1, Number.MAX_SAFE_INTEGER)),
  max_completion_tokens: nullable(integerIn(1, Number.MAX_SAFE_INTEGER)),
  temperature: nullable(numberIn(0, 2)),
  top_p: nullable(numberIn(0, 1)),
  n: nullable(integerIn(1, 128)),
  stop: nullable(isString),
  seed: nullable(integerIn(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
  presence_penalty: nullable(numberIn(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)),
  frequency_penalty: nullable(numberIn(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)),
  logprobs: nullable(isBoolean),
  top_logprobs: nullable(integerIn(0, 20)),
  tool_choice: (value) => TOOL_CHOICES.has(value),
  parallel_tool_calls: nullable(isBoolean),
  user: isString,
};

/** The schema's fields in its order (zod writes its output in this order, then unknown fields). */
const REQUEST_KEYS = Object.keys(chatRequestSchema.shape);
const REQUEST_KEY_SET: ReadonlySet<string> = new Set(REQUEST_KEYS);
const MESSAGE_KEYS = ["role", "content", "name", "tool_calls", "tool_call_id", "prefix"] as const;
const MESSAGE_KEY_SET: ReadonlySet<string> = new Set(MESSAGE_KEYS);
const MESSAGE_SCALARS: Readonly<Record<string, Check>> = {
  content: nullable(isString),
  name: isString,
  tool_call_id: isString,
  prefix: isBoolean,
};

/**
 * The common request shape validated without zod: text messages and primitive options, the
 * output built exactly as `chatRequestSchema.parse` builds it (new objects for the request, its
 * messages and stream_options, fields in the schema's order, unknown fields kept). Returns
 * undefined for anything else, valid or not — zod then decides and names the error.
 */
export function fastChatRequest(body: unknown): ChatRequest | undefined {
  if (!isPlain(body)) return undefined;
  const { model, messages } = body;
  if (typeof model !== "string" || model.length === 0) return undefined;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const keys = Object.keys(body);
  for (const key of keys) {
    const value = body[key];
    if (key === "model" || key === "messages") continue;
    if (key === "__proto__" || value === undefined) return undefined;
    if (key === "stream_options") {
      if (value !== null && !(isPlain(value) && isStreamOptions(value))) return undefined;
      continue;
    }
    const check = SCALARS[key];
    if (check ? !check(value) : REQUEST_KEY_SET.has(key)) return undefined;
  }
  const parsedMessages: Plain[] = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const message = fastMessage(messages[i]);
    if (!message) return undefined;
    parsedMessages[i] = message;
  }
  const out: Plain = {};
  for (const key of REQUEST_KEYS) {
    if (!(key in body)) continue;
    const value = body[key];
    if (key === "messages") out[key] = parsedMessages;
    else if (key === "stream_options") out[key] = value === null ? null : { include_usage: (value as Plain).include_usage };
    else out[key] = value;
  }
  for (const key of keys) if (!REQUEST_KEY_SET.has(key)) out[key] = body[key];
  return out as ChatRequest;
}

function isStreamOptions(value: Plain): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "include_usage" && typeof value.include_usage === "boolean";
}

function fastMessage(message: unknown): Plain | undefined {
  if (!isPlain(message) || !ROLES.has(message.role)) return undefined;
  const keys = Object.keys(message);
  for (const key of keys) {
    const value = message[key];
    if (key === "role") continue;
    if (key === "__proto__" || value === undefined) return undefined;
    const check = MESSAGE_SCALARS[key];
    if (check ? !check(value) : MESSAGE_KEY_SET.has(key)) return undefined;
  }
  const out: Plain = {};
  for (const key of MESSAGE_KEYS) if (key in message) out[key] = message[key];
  for (const key of keys) if (!MESSAGE_KEY_SET.has(key)) out[key] = message[key];
  return out;
}
