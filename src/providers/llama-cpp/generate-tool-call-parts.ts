import { randomUUID } from "node:crypto";
import type { ChatHistoryItem, ChatModelFunctions, LlamaChatResponse } from "node-llama-cpp";
import { maxOutputTokens, stopSequences } from "../../core/chat-request.js";
import type { ChatRequest } from "../../core/chat-request.js";
import type { StreamPart } from "../../core/stream-part.js";
import { makeUsage } from "../../core/usage.js";
import { abortReason } from "./abort-reason.js";
import type { CallDeadline } from "./call-deadline.js";
import type { SequenceLease } from "./local-model-host.js";

export interface ToolCallGenerationInput {
  lease: SequenceLease;
  request: ChatRequest;
  history: ChatHistoryItem[];
  functions: ChatModelFunctions;
  promptTokens: number;
  deadline: CallDeadline;
}

/**
 * Requests with `tools` go through node-llama-cpp's LlamaChat, which writes and parses the
 * function-call syntax of the model's chat template (native syntax for recognised templates
 * such as Qwen, Llama 3.1, Mistral, Functionary; a documented `||call:` convention injected
 * into the system prompt for other Jinja templates) and constrains the arguments with a
 * grammar built from each tool's JSON schema. Text and argument chunks stream as they are
 * generated. No per-token logprobs on this path.
 */
export async function* generateToolCallParts(input: ToolCallGenerationInput): AsyncGenerator<StreamPart> {
  const { lease, request, deadline } = input;
  const { LlamaChat } = await import("node-llama-cpp");
  const chatWrapper = lease.loaded.chatWrapper ?? undefined;
  const chat = new LlamaChat({ contextSequence: lease.sequence, chatWrapper, autoDisposeSequence: false });
  const stop = new AbortController();
  const onAbort = () => stop.abort(deadline.signal.reason);
  deadline.signal.addEventListener("abort", onAbort, { once: true });
  const queue: StreamPart[] = [];
  let wake: (() => void) | undefined;
  const push = (part: StreamPart) => {
    queue.push(part);
    wake?.();
  };
  const callIds = new Map<number, string>();
  let completionTokens = 0;
  const budget = lease.sequence.contextSize - input.promptTokens;
  const temperature = request.temperature ?? 1;
  let settled = false;
  let result: LlamaChatResponse<ChatModelFunctions> | undefined;
  let failure: unknown;
  const running = chat
    .generateResponse(input.history, {
      functions: input.functions,
      signal: stop.signal,
      maxTokens: Math.min(maxOutputTokens(request) ?? budget, budget),
      temperature,
      ...(request.top_p != null && temperature > 0 ? { topP: request.top_p } : {}),
      ...(request.seed != null ? { seed: request.seed } : {}),
      customStopTriggers: stopSequences(request),
      onToken: (tokens) => {
        completionTokens += tokens.length;
        deadline.tokenArrived();
      },
      onTextChunk: (text) => {
        if (text !== "") push({ type: "text-delta", choice: 0, text });
      },
      onFunctionCallParamsChunk: (chunk) => {
        const known = callIds.get(chunk.callIndex);
        const id = known ?? `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
        callIds.set(chunk.callIndex, id);
        push({
          type: "tool-call-delta",
          choice: 0,
          toolIndex: chunk.callIndex,
          ...(known ? {} : { id, name: chunk.functionName }),
          argumentsDelta: chunk.paramsChunk,
        });
      },
    })
    .then(
      (response) => {
        result = response;
      },
      (error: unknown) => {
        failure = error;
      },
    )
    .finally(() => {
      settled = true;
      wake?.();
    });
  try {
    for (;;) {
      const part = queue.shift();
      if (part) {
        yield part;
        continue;
      }
      if (settled) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (deadline.signal.aborted) throw abortReason(deadline.signal);
    if (failure !== undefined || !result) throw failure;
    const calls = result.functionCalls ?? [];
    for (const [index, call] of calls.entries()) {
      if (callIds.has(index)) continue; // already streamed
      const id = `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
      yield {
        type: "tool-call-delta",
        choice: 0,
        toolIndex: index,
        id,
        name: call.functionName,
        argumentsDelta: JSON.stringify(call.params ?? {}),
      };
    }
    const finishReason = calls.length > 0 ? "tool_calls" : result.metadata.stopReason === "maxTokens" ? "length" : "stop";
    yield { type: "finish", choice: 0, finishReason };
    yield { type: "usage", usage: makeUsage(input.promptTokens, completionTokens) };
  } finally {
    deadline.signal.removeEventListener("abort", onAbort);
    if (!settled) stop.abort(new Error("stream closed by the consumer"));
    await running;
    chat.dispose({ disposeSequence: false });
  }
}

/** OpenAI tool definitions → node-llama-cpp functions (a named tool_choice keeps only that tool). */
export function toChatModelFunctions(request: ChatRequest): ChatModelFunctions {
  const choice = request.tool_choice;
  const only = typeof choice === "object" ? choice.function.name : undefined;
  const functions: Record<string, ChatModelFunctions[string]> = {};
  for (const tool of request.tools ?? []) {
    if (only !== undefined && tool.function.name !== only) continue;
    functions[tool.function.name] = {
      ...(tool.function.description ? { description: tool.function.description } : {}),
      ...(tool.function.parameters ? { params: tool.function.parameters as ChatModelFunctions[string]["params"] } : {}),
    };
  }
  return functions;
}
