import type { StreamPart } from "../core/stream-part.js";

type ToolCallDelta = Extract<StreamPart, { type: "tool-call-delta" }>;

/** A streamed answer's tool calls, put together from their deltas (for the request log). */
export class StreamedToolCalls {
  readonly #calls: { id: string; type: "function"; function: { name: string; arguments: string } }[] = [];

  add(delta: ToolCallDelta): void {
    let call = this.#calls[delta.toolIndex];
    if (!call) {
      call = { id: "", type: "function", function: { name: "", arguments: "" } };
      this.#calls[delta.toolIndex] = call;
    }
    if (delta.id) call.id = delta.id;
    if (delta.name) call.function.name = delta.name;
    call.function.arguments += delta.argumentsDelta;
  }

  /** The calls in the `tool_calls` shape of a chat completion message. */
  list(): { id: string; type: "function"; function: { name: string; arguments: string } }[] {
    return this.#calls.filter((call) => call !== undefined);
  }
}
