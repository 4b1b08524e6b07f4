import type { ChatRequest } from "../../core/chat-request.js";
import type { FinishReason, TokenLogprob } from "../../core/chat-result.js";
import { StreamInterruptedError } from "../../core/errors.js";
import type { StreamPart } from "../../core/stream-part.js";
import type { Usage } from "../../core/usage.js";
import type { SseStreamHandler } from "../http/stream-upstream-sse.js";
import { upstreamErrorFromPayload, type UpstreamContext } from "../http/upstream-error.js";
import type { SseEvent } from "../sse/sse-parser.js";
import { estimateUsage, readUsage } from "./estimate-usage.js";

interface ChunkToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface ChunkChoice {
  index?: number;
  delta?: { content?: string | null; refusal?: string | null; tool_calls?: ChunkToolCall[] | null };
  logprobs?: { content?: TokenLogprob[] | null } | null;
  finish_reason?: FinishReason | null;
}

interface Chunk {
  id?: string;
  object?: string;
  model?: string;
  created?: number;
  system_fingerprint?: string | null;
  choices?: ChunkChoice[];
  usage?: unknown;
  error?: unknown;
}

/**
 * Maps `chat.completion.chunk`s to StreamParts. The stream is complete at `[DONE]`; a body
 * that ends without it still counts as complete when every choice finished AND the usage
 * chunk arrived (some servers omit `[DONE]`, and nothing is missing then); otherwise it is a
 * truncated answer → StreamInterruptedError. One usage part comes last: the upstream's
 * (we always ask for `include_usage`), or an estimate when it sent none.
 */
export class OpenAiStreamHandler implements SseStreamHandler {
  private started = false;
  /** The last usage the upstream reported (some servers repeat it); yielded once, at the end. */
  private usage: Usage | undefined;
  private finishedChoices = 0;
  private readonly finished: boolean[] = [];
  private answerChars = 0;
  private readonly choiceCount: number;

  constructor(
    private readonly request: ChatRequest,
    private readonly context: UpstreamContext,
  ) {
    this.choiceCount = request.n ?? 1;
  }

  onEvent(event: SseEvent, out: StreamPart[]): boolean {
    const data = event.data;
    if (data === "[DONE]") return true;
    let chunk: Chunk;
    try {
      chunk = JSON.parse(data) as Chunk;
    } catch (error) {
      throw new StreamInterruptedError(`upstream ${this.context.label} sent a malformed stream chunk`, { cause: error });
    }
    if (typeof chunk !== "object" || chunk === null) {
      throw new StreamInterruptedError(`upstream ${this.context.label} sent a stream chunk that is not an object`);
    }
    if ((chunk.error !== undefined && chunk.error !== null) || chunk.object === "error") {
      throw upstreamErrorFromPayload(undefined, undefined, chunk, this.context);
    }
    if (!this.started) {
      this.started = true;
      out.push({ type: "start", id: chunk.id, model: chunk.model, created: chunk.created, systemFingerprint: chunk.system_fingerprint });
    }
    const choices = chunk.choices;
    if (Array.isArray(choices)) for (const choice of choices) this.choice(choice, out);
    if (chunk.usage !== undefined && chunk.usage !== null) this.usage = readUsage(chunk.usage) ?? this.usage;
    return false;
  }

  onEnd(complete: boolean, out: StreamPart[]): void {
    if (!complete && !(this.usage && this.finishedChoices >= this.choiceCount)) {
      throw new StreamInterruptedError(`upstream ${this.context.label} stream ended before the answer was complete (no [DONE])`);
    }
    if (!this.started) out.push({ type: "start" });
    out.push({ type: "usage", usage: this.usage ?? estimateUsage(this.request, this.answerChars) });
  }

  private choice(choice: ChunkChoice, out: StreamPart[]): void {
    const index = choice.index ?? 0;
    const delta = choice.delta;
    if (delta) {
      const content = delta.content;
      if (typeof content === "string" && content.length > 0) {
        this.answerChars += content.length;
        const logprobs = choice.logprobs?.content;
        out.push(
          logprobs && logprobs.length > 0
            ? { type: "text-delta", choice: index, text: content, logprobs }
            : { type: "text-delta", choice: index, text: content },
        );
      }
      const refusal = delta.refusal;
      if (typeof refusal === "string" && refusal.length > 0) out.push({ type: "refusal-delta", choice: index, text: refusal });
      const calls = delta.tool_calls;
      if (Array.isArray(calls)) {
        for (let i = 0; i < calls.length; i++) {
          const call = calls[i] as ChunkToolCall;
          const args = call.function?.arguments ?? "";
          this.answerChars += args.length;
          const part: StreamPart = { type: "tool-call-delta", choice: index, toolIndex: call.index ?? i, argumentsDelta: args };
          if (call.id) part.id = call.id;
          if (call.function?.name) part.name = call.function.name;
          out.push(part);
        }
      }
    }
    const reason = choice.finish_reason;
    if (reason) {
      if (!this.finished[index]) {
        this.finished[index] = true;
        this.finishedChoices++;
      }
      out.push({ type: "finish", choice: index, finishReason: reason });
    }
  }
}
