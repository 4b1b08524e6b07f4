import type { ServerResponse } from "node:http";
import { planAnswer, type AnswerInput } from "./sim-answer.js";
import {
  ANTHROPIC_MALFORMED_FRAME,
  anthropicErrorBody,
  anthropicErrorFrame,
  anthropicFrames,
  anthropicJson,
} from "./sim-anthropic-wire.js";
import { FastCache, Template } from "./sim-fast-cache.js";
import { OPENAI_MALFORMED_FRAME, openAiErrorBody, openAiErrorFrame, openAiFrames, openAiJson } from "./sim-openai-wire.js";
import { SSE_HEADERS, writeJson, writeSse, type FaultFrames } from "./sim-response-writer.js";
import type { SimScenario } from "./sim-scenario.js";

export type SimWire = "openai" | "anthropic";

interface ChatLike {
  model?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
  messages?: unknown;
  n?: unknown;
  logprobs?: unknown;
  stop?: unknown;
  stop_sequences?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  response_format?: { type?: unknown } | null;
}

const OPENAI_FAULTS: FaultFrames = {
  error: openAiErrorFrame("The server had an error while processing your request. Sorry about that!", "server_error", null),
  malformed: OPENAI_MALFORMED_FRAME,
};
const ANTHROPIC_FAULTS: FaultFrames = {
  error: anthropicErrorFrame("overloaded_error", "Overloaded"),
  malformed: ANTHROPIC_MALFORMED_FRAME,
};
const OPENAI_JSON_FAULTS: FaultFrames = {
  error: openAiErrorBody("The server had an error while processing your request. Sorry about that!", "server_error", null),
  malformed: '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"mess',
};
const ANTHROPIC_JSON_FAULTS: FaultFrames = {
  error: anthropicErrorBody("api_error", "Internal server error"),
  malformed: '{"id":"msg_broken","type":"mess',
};

const OPENAI_TYPES: Record<number, [string, string | null, string]> = {
  400: ["invalid_request_error", null, "Invalid request."],
  401: ["invalid_request_error", "invalid_api_key", "Incorrect API key provided."],
  403: ["permission_error", null, "You are not allowed to use this model."],
  404: ["invalid_request_error", "model_not_found", "The model does not exist or you do not have access to it."],
  429: ["requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again later."],
  500: ["server_error", null, "The server had an error while processing your request. Sorry about that!"],
  503: ["server_error", null, "The engine is currently overloaded, please try again later."],
};
const ANTHROPIC_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

function errorBody(wire: SimWire, status: number, scenario: SimScenario): string {
  if (wire === "anthropic") {
    const type = scenario.errorType ?? ANTHROPIC_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
    return anthropicErrorBody(type, scenario.errorMessage ?? `simulated ${status}`);
  }
  const [type, code, message] = OPENAI_TYPES[status] ?? [
    status >= 500 ? "server_error" : "invalid_request_error",
    null,
    `simulated ${status}`,
  ];
  return openAiErrorBody(
    scenario.errorMessage ?? message,
    scenario.errorType ?? type,
    scenario.errorCode === undefined ? code : scenario.errorCode,
  );
}

function hasPrefill(wire: SimWire, messages: unknown): boolean {
  if (!Array.isArray(messages)) return false;
  if (wire === "openai") return messages.some((m: { prefix?: unknown }) => m?.prefix === true);
  const last = messages[messages.length - 1] as { role?: unknown } | undefined;
  return last?.role === "assistant";
}

/** The error a scenario or the request itself calls for, if any. */
function requestError(wire: SimWire, request: ChatLike, scenario: SimScenario, promptTokens: number): [number, string] | undefined {
  if (scenario.status !== undefined && scenario.status >= 400) return [scenario.status, errorBody(wire, scenario.status, scenario)];
  if (!Array.isArray(request.messages) || typeof request.model !== "string") {
    const message = !Array.isArray(request.messages) ? "messages: Field required" : "model: Field required";
    return [
      400,
      wire === "anthropic" ? anthropicErrorBody("invalid_request_error", message) : openAiErrorBody(message, "invalid_request_error", null),
    ];
  }
  if (typeof request.n === "number" && (request.n < 1 || request.n > 128 || !Number.isInteger(request.n))) {
    return [
      400,
      openAiErrorBody(
        `${request.n} is not a valid value for 'n': it must be an integer from 1 to 128.`,
        "invalid_request_error",
        "invalid_value",
        "n",
      ),
    ];
  }
  if (wire === "anthropic" && typeof request.max_tokens !== "number") {
    return [400, anthropicErrorBody("invalid_request_error", "max_tokens: Field required")];
  }
  if (scenario.rejectPrefill && hasPrefill(wire, request.messages)) {
    return wire === "anthropic"
      ? [
          400,
          anthropicErrorBody(
            "invalid_request_error",
            "This model does not support assistant message prefill. The conversation must end with a user message.",
          ),
        ]
      : [
          400,
          openAiErrorBody(
            "This model does not support assistant prefix continuation (prefix: true).",
            "invalid_request_error",
            "unsupported_parameter",
            "messages",
          ),
        ];
  }
  if (scenario.contextWindow !== undefined && promptTokens > scenario.contextWindow) {
    const w = scenario.contextWindow;
    return wire === "anthropic"
      ? [400, anthropicErrorBody("invalid_request_error", `prompt is too long: ${promptTokens} tokens > ${w} maximum`)]
      : [
          400,
          openAiErrorBody(
            `This model's maximum context length is ${w} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
            "invalid_request_error",
            "context_length_exceeded",
            "messages",
          ),
        ];
  }
  return undefined;
}

function answerInput(wire: SimWire, request: ChatLike, promptTokens: number): AnswerInput {
  const stopField = wire === "openai" ? request.stop : request.stop_sequences;
  const stop =
    typeof stopField === "string"
      ? [stopField]
      : Array.isArray(stopField)
        ? stopField.filter((s): s is string => typeof s === "string")
        : [];
  const max = wire === "openai" ? (request.max_completion_tokens ?? request.max_tokens) : request.max_tokens;
  const format = request.response_format?.type;
  return {
    model: String(request.model),
    wantsJson: format === "json_object" || format === "json_schema",
    stop,
    maxTokens: typeof max === "number" ? max : undefined,
    n: wire === "openai" && typeof request.n === "number" && request.n > 1 ? request.n : 1,
    logprobs: wire === "openai" && request.logprobs === true,
    promptTokens,
  };
}

/** Answers one chat request (OpenAI Chat Completions or Anthropic Messages) per its scenario. */
export async function answerChat(
  wire: SimWire,
  res: ServerResponse,
  body: unknown,
  rawLength: number,
  scenario: SimScenario,
  cache: FastCache,
): Promise<void> {
  const request = (typeof body === "object" && body !== null ? body : {}) as ChatLike;
  const promptTokens = Math.max(1, Math.ceil(rawLength / 4));
  const stream = request.stream === true;
  const jsonFaults = wire === "openai" ? OPENAI_JSON_FAULTS : ANTHROPIC_JSON_FAULTS;
  const error = requestError(wire, request, scenario, promptTokens);
  if (error) return writeJson(res, error[0], error[1], scenario, jsonFaults);
  const includeUsage = wire === "openai" && request.stream_options?.include_usage === true;
  const input = answerInput(wire, request, promptTokens);
  const cacheable = FastCache.eligible(scenario) && input.n === 1 && !input.logprobs && input.stop.length === 0;
  const key = cacheable ? `${wire}|${input.model}|${stream}|${includeUsage}|${input.wantsJson}|${input.maxTokens}` : "";
  if (cacheable) {
    const template = cache.get(scenario, key);
    if (template) {
      const text = template.render(promptTokens);
      if (stream) res.writeHead(200, scenario.headers ? { ...SSE_HEADERS, ...scenario.headers } : SSE_HEADERS).end(text);
      else return writeJson(res, 200, text, scenario, jsonFaults);
      return;
    }
  }
  const planned = planAnswer(
    cacheable ? { ...input, promptTokens: FastCache.promptMark } : input,
    scenario,
    wire === "openai" ? "chatcmpl-sim" : "msg_sim",
    wire === "openai" ? "call_" : "toolu_",
  );
  if (stream) {
    const frames =
      wire === "openai" ? openAiFrames(planned, includeUsage, !scenario.omitUsage) : anthropicFrames(planned, !scenario.omitUsage);
    if (cacheable) {
      const template = new Template(frames.head.join("") + frames.tokens.join("") + frames.tail.join(""), planned.completionTokens);
      cache.set(scenario, key, template);
      res.writeHead(200, scenario.headers ? { ...SSE_HEADERS, ...scenario.headers } : SSE_HEADERS).end(template.render(promptTokens));
      return;
    }
    return writeSse(res, frames, scenario, wire === "openai" ? OPENAI_FAULTS : ANTHROPIC_FAULTS);
  }
  const json = wire === "openai" ? openAiJson(planned, !scenario.omitUsage) : anthropicJson(planned, !scenario.omitUsage);
  if (cacheable) {
    const template = new Template(json, planned.completionTokens);
    cache.set(scenario, key, template);
    return writeJson(res, 200, template.render(promptTokens), scenario, jsonFaults);
  }
  return writeJson(res, 200, json, scenario, jsonFaults);
}
