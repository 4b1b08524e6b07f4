import { type DistillMessage, hasTools } from "./distill-conversation.js";

export const DISTILL_FORMATS = ["openai-chat", "sharegpt", "alpaca"] as const;
export type DistillFormat = (typeof DISTILL_FORMATS)[number];

export type FormattedExample = { ok: true; example: Record<string, unknown> } | { ok: false; reason: string };

/**
 * One example in a fine-tuning format:
 * - `openai-chat`: `{"messages": [...]}` as OpenAI's chat fine-tuning takes it (system, user,
 *   assistant with `tool_calls`, tool with `tool_call_id`);
 * - `sharegpt`: `{"conversations": [{"from": "system"|"human"|"gpt", "value": …}]}`;
 * - `alpaca`: `{"instruction", "input", "output", "system", "history": [[user, assistant], …]}`.
 * The last two carry no tool calls: such conversations are dropped for them.
 */
export function formatExample(format: DistillFormat, messages: readonly DistillMessage[]): FormattedExample {
  if (format === "openai-chat") return { ok: true, example: { messages } };
  if (hasTools(messages)) return { ok: false, reason: `tool calls (${format} has no place for them)` };
  if (format === "sharegpt") {
    const from = { system: "system", user: "human", assistant: "gpt", tool: "tool" } as const;
    return {
      ok: true,
      example: { conversations: messages.map((message) => ({ from: from[message.role], value: message.content ?? "" })) },
    };
  }
  const system = messages.filter((message) => message.role === "system").map((message) => message.content ?? "");
  const turns = messages.filter((message) => message.role !== "system");
  const history: [string, string][] = [];
  for (let i = 0; i + 1 < turns.length - 2; i += 2) {
    const user = turns[i];
    const assistant = turns[i + 1];
    if (user?.role !== "user" || assistant?.role !== "assistant")
      return { ok: false, reason: "turns do not alternate (alpaca needs user/assistant pairs)" };
    history.push([user.content ?? "", assistant.content ?? ""]);
  }
  const instruction = turns[turns.length - 2];
  const output = turns[turns.length - 1];
  if (instruction?.role !== "user" || output?.role !== "assistant" || turns.length % 2 !== 0) {
    return { ok: false, reason: "turns do not alternate (alpaca needs user/assistant pairs)" };
  }
  const example: Record<string, unknown> = { instruction: instruction.content ?? "", input: "", output: output.content ?? "" };
  if (system.length > 0) example.system = system.join("\n");
  if (history.length > 0) example.history = history;
  return { ok: true, example };
}
