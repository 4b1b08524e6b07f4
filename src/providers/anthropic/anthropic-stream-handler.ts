import type { ChatRequest } from "../../core/chat-request.js";
import type { FinishReason } from "../../core/chat-result.js";
import { StreamInterruptedError } from "../../core/errors.js";
import type { StreamPart } from "../../core/stream-part.js";
import type { SseStreamHandler } from "../http/stream-upstream-sse.js";
import { upstreamErrorFromPayload, type UpstreamContext } from "../http/upstream-error.js";
import { estimateUsage } from "../openai-compatible/estimate-usage.js";
import type { SseEvent } from "../sse/sse-parser.js";
import { finishReason, promptTokens, toUsage, type AnthropicUsage } from "./anthropic-mapping.js";

interface AnthropicEvent {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: unknown;
}

/**
 * Maps Anthropic Messages stream events to StreamParts: message_start → start, text_delta →
 * text-delta, tool_use blocks and input_json_delta → tool-call-delta, message_delta →
 * finish, message_stop → usage and the end. A body that ends without message_stop still
 * counts as complete when the stop reason AND the usage arrived; otherwise it is truncated.
 */
export class AnthropicStreamHandler implements SseStreamHandler {
  private started = false;
  private finish: FinishReason | undefined;
  private input: AnthropicUsage | undefined;
  private outputTokens: number | undefined;
  private answerChars = 0;
  /** Anthropic content-block index → position in the OpenAI tool_calls array (-1: not a tool). */
  private readonly toolIndexOfBlock: number[] = [];
  private readonly argumentChars: number[] = [];
  private tools = 0;

  constructor(
    private readonly request: ChatRequest,
    private readonly context: UpstreamContext,
  ) {}

  onEvent(event: SseEvent, out: StreamPart[]): boolean {
    let data: AnthropicEvent;
    try {
      data = JSON.parse(event.data) as AnthropicEvent;
    } catch (error) {
      throw new StreamInterruptedError(`upstream ${this.context.label} sent a malformed stream event`, { cause: error });
    }
    if (typeof data !== "object" || data === null) {
      throw new StreamInterruptedError(`upstream ${this.context.label} sent a stream event that is not an object`);
    }
    switch (data.type ?? event.event) {
      case "message_start":
        this.started = true;
        this.input = data.message?.usage;
        if (typeof data.message?.usage?.output_tokens === "number") this.outputTokens = data.message.usage.output_tokens;
        out.push({ type: "start", id: data.message?.id, model: data.message?.model, created: Math.floor(Date.now() / 1000) });
        return false;
      case "content_block_start":
        this.blockStart(data, out);
        return false;
      case "content_block_delta":
        this.blockDelta(data, out);
        return false;
      case "content_block_stop": {
        const index = data.index ?? 0;
        const toolIndex = this.toolIndexOfBlock[index];
        if (toolIndex !== undefined && toolIndex >= 0 && !this.argumentChars[toolIndex]) {
          out.push({ type: "tool-call-delta", choice: 0, toolIndex, argumentsDelta: "{}" });
        }
        return false;
      }
      case "message_delta":
        if (data.usage) {
          if (typeof data.usage.output_tokens === "number") this.outputTokens = data.usage.output_tokens;
          // Newer API versions repeat the (cumulative) input and cache counts here.
          const { output_tokens: _output, ...input } = data.usage;
          if (Object.values(input).some((value) => typeof value === "number")) this.input = { ...this.input, ...input };
        }
        if (data.delta?.stop_reason) {
          this.finish = finishReason(data.delta.stop_reason);
          out.push({ type: "finish", choice: 0, finishReason: this.finish });
        }
        return false;
      case "message_stop":
        this.pushUsage(out);
        return true;
      case "error":
        throw upstreamErrorFromPayload(undefined, undefined, data, this.context);
      default:
        return false; // ping and future event types
    }
  }

  onEnd(complete: boolean, out: StreamPart[]): void {
    if (!complete) {
      if (this.finish === undefined || this.outputTokens === undefined) {
        throw new StreamInterruptedError(`upstream ${this.context.label} stream ended before the answer was complete (no message_stop)`);
      }
      this.pushUsage(out);
    }
    if (!this.started) out.unshift({ type: "start" });
  }

  private pushUsage(out: StreamPart[]): void {
    if (this.outputTokens !== undefined && this.input !== undefined && typeof this.input.input_tokens === "number") {
      out.push({ type: "usage", usage: toUsage(promptTokens(this.input), this.outputTokens, this.input.cache_read_input_tokens) });
    } else {
      out.push({ type: "usage", usage: estimateUsage(this.request, this.answerChars) });
    }
  }

  private blockStart(data: AnthropicEvent, out: StreamPart[]): void {
    const index = data.index ?? 0;
    const block = data.content_block;
    if (block?.type === "tool_use") {
      const toolIndex = this.tools++;
      this.toolIndexOfBlock[index] = toolIndex;
      this.argumentChars[toolIndex] = 0;
      const part: StreamPart = { type: "tool-call-delta", choice: 0, toolIndex, argumentsDelta: "" };
      if (block.id) part.id = block.id;
      if (block.name) part.name = block.name;
      out.push(part);
    } else {
      this.toolIndexOfBlock[index] = -1;
    }
  }

  private blockDelta(data: AnthropicEvent, out: StreamPart[]): void {
    const delta = data.delta;
    if (delta?.type === "text_delta" && typeof delta.text === "string" && delta.text !== "") {
      this.answerChars += delta.text.length;
      out.push({ type: "text-delta", choice: 0, text: delta.text });
    } else if (delta?.type === "input_json_delta" && typeof delta.partial_json === "string" && delta.partial_json !== "") {
      const toolIndex = this.toolIndexOfBlock[data.index ?? 0] ?? -1;
      if (toolIndex < 0) return;
      this.answerChars += delta.partial_json.length;
      this.argumentChars[toolIndex] = (this.argumentChars[toolIndex] ?? 0) + delta.partial_json.length;
      out.push({ type: "tool-call-delta", choice: 0, toolIndex, argumentsDelta: delta.partial_json });
    }
    // thinking_delta, signature_delta, citations_delta: not part of the OpenAI answer
  }
}
