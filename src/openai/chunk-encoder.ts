import type { RightsizeError } from "../core/errors.js";
import type { StreamPart } from "../core/stream-part.js";
import { toOpenAiErrorBody } from "./error-body.js";

export interface ChunkEncoderOptions {
  id: string;
  model: string;
  created: number;
  /** The client asked for `stream_options.include_usage`. */
  includeUsage: boolean;
}

/**
 * Turns `StreamPart`s into `chat.completion.chunk` SSE frames, exactly as OpenAI sends them:
 * the first delta of each choice carries `role: "assistant"`, tool calls stream as indexed
 * deltas, the usage chunk (when asked) has empty `choices`, and `[DONE]` ends the stream.
 * A mid-stream failure becomes `data: {"error": …}`.
 */
export class ChunkEncoder {
  private prefix: string;
  private readonly started = new Set<number>();

  constructor(private readonly options: ChunkEncoderOptions) {
    this.prefix = this.makePrefix(options.id, options.model);
  }

  /** Adopt the upstream's id/model from a `start` part (only before the first frame). */
  private makePrefix(id: string, model: string): string {
    return `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${this.options.created},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":`;
  }

  encode(part: StreamPart): string {
    switch (part.type) {
      case "start":
        if (this.started.size === 0) {
          this.prefix = this.makePrefix(part.id ?? this.options.id, part.model ?? this.options.model);
        }
        return "";
      case "text-delta": {
        const logprobs = part.logprobs ? `{"content":${JSON.stringify(part.logprobs)},"refusal":null}` : "null";
        return this.choice(part.choice, `"content":${JSON.stringify(part.text)}`, logprobs, "null");
      }
      case "refusal-delta":
        return this.choice(part.choice, `"refusal":${JSON.stringify(part.text)}`, "null", "null");
      case "tool-call-delta": {
        const fn: Record<string, string> = { arguments: part.argumentsDelta };
        if (part.name !== undefined) fn.name = part.name;
        const call: Record<string, unknown> = { index: part.toolIndex };
        if (part.id !== undefined) {
          call.id = part.id;
          call.type = "function";
        }
        call.function = fn;
        return this.choice(part.choice, `"tool_calls":[${JSON.stringify(call)}]`, "null", "null");
      }
      case "finish":
        return this.choice(part.choice, "", "null", JSON.stringify(part.finishReason));
      case "usage": {
        if (!this.options.includeUsage) return "";
        // OpenAI's fields only: whether rightsize estimated the figures is for the log, not the wire.
        const { estimated: _estimated, ...usage } = part.usage;
        return `${this.prefix}[],"usage":${JSON.stringify(usage)}}\n\n`;
      }
    }
  }

  error(error: RightsizeError): string {
    return `data: ${JSON.stringify(toOpenAiErrorBody(error))}\n\n`;
  }

  done(): string {
    return "data: [DONE]\n\n";
  }

  private choice(index: number, delta: string, logprobs: string, finish: string): string {
    let body = delta;
    if (!this.started.has(index)) {
      this.started.add(index);
      body = delta ? `"role":"assistant",${delta}` : `"role":"assistant","content":""`;
    }
    return `${this.prefix}[{"index":${index},"delta":{${body}},"logprobs":${logprobs},"finish_reason":${finish}}]}\n\n`;
  }
}
