/**
 * The chat fine-tuning format (OpenAI's "chat" JSONL for supervised fine-tuning), checked
 * independently of the exporter: one object per line with `messages`; roles system, user,
 * assistant, tool; system messages only before the first turn; at least one user and one
 * assistant message; the last message an assistant one; an assistant message has string
 * content or tool_calls (content null); each tool call has an id, type "function", a name and
 * JSON arguments; each tool message answers a tool call of the assistant message before it
 * (by tool_call_id), and every such call is answered before the next user or assistant turn.
 * Returns the problems found (empty: valid).
 */
export function chatFineTuningProblems(line: string): string[] {
  const problems: string[] = [];
  let example: unknown;
  try {
    example = JSON.parse(line);
  } catch {
    return ["not JSON"];
  }
  const messages = (example as { messages?: unknown }).messages;
  if (!Array.isArray(messages) || messages.length < 2) return ["messages must be an array of at least 2"];
  const extra = Object.keys(example as object).filter((key) => !["messages", "tools", "parallel_tool_calls"].includes(key));
  if (extra.length) problems.push(`unexpected top-level keys ${extra.join(", ")}`);
  let seenTurn = false;
  let openCalls = new Set<string>();
  messages.forEach((message: Record<string, unknown>, i) => {
    const role = message.role;
    const at = `messages[${i}]`;
    if (!["system", "user", "assistant", "tool"].includes(role as string)) problems.push(`${at}.role ${String(role)}`);
    const allowed = new Set(["role", "content", "name", "tool_calls", "tool_call_id", "weight"]);
    for (const key of Object.keys(message)) if (!allowed.has(key)) problems.push(`${at}: unexpected key ${key}`);
    if (role === "system" && seenTurn) problems.push(`${at}: system message after the conversation started`);
    if (role !== "tool" && openCalls.size > 0) problems.push(`${at}: tool calls ${[...openCalls].join(", ")} not answered`);
    if (role === "user" || role === "assistant") seenTurn = true;
    if (role === "assistant") {
      const calls = message.tool_calls;
      if (calls !== undefined) {
        if (!Array.isArray(calls) || calls.length === 0) problems.push(`${at}.tool_calls must be a non-empty array`);
        else {
          openCalls = new Set();
          for (const call of calls as Record<string, unknown>[]) {
            const fn = call.function as Record<string, unknown> | undefined;
            if (
              typeof call.id !== "string" ||
              call.type !== "function" ||
              typeof fn?.name !== "string" ||
              typeof fn.arguments !== "string"
            ) {
              problems.push(`${at}: malformed tool call`);
              continue;
            }
            try {
              JSON.parse(fn.arguments);
            } catch {
              problems.push(`${at}: tool call arguments are not JSON`);
            }
            openCalls.add(call.id);
          }
        }
        if (message.content !== null && typeof message.content !== "string") problems.push(`${at}.content must be a string or null`);
      } else if (typeof message.content !== "string") problems.push(`${at}.content must be a string`);
    } else if (role === "tool") {
      if (typeof message.tool_call_id !== "string" || !openCalls.has(message.tool_call_id))
        problems.push(`${at}: tool message answers no open tool call`);
      else openCalls.delete(message.tool_call_id);
      if (typeof message.content !== "string") problems.push(`${at}.content must be a string`);
    } else if (typeof message.content !== "string") problems.push(`${at}.content must be a string`);
  });
  if (!messages.some((m: { role?: unknown }) => m.role === "user")) problems.push("no user message");
  if ((messages[messages.length - 1] as { role?: unknown }).role !== "assistant") problems.push("the last message is not the assistant's");
  return problems;
}
