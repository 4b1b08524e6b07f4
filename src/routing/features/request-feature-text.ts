import { messageText, type ChatRequest } from "../../core/chat-request.js";

/** Limits that reduce a long conversation to one bounded feature text. */
export const featureTextLimits = {
  /** Characters kept from the last user message (its head and tail when longer). */
  lastUser: 6000,
  /** Characters kept from the system (or developer) prompt. */
  system: 600,
  /** Earlier turns kept (most recent first) and characters kept from each. */
  earlierTurns: 3,
  earlierTurnChars: 400,
} as const;

/** The shape of a conversation, independent of its text. */
export interface ConversationShape {
  /** Messages in the request (all roles). */
  messages: number;
  userTurns: number;
  assistantTurns: number;
  hasSystem: boolean;
  tools: number;
  toolMessages: number;
  /** Characters of all message text before reduction. */
  totalChars: number;
  /** Characters of the last user message before reduction. */
  lastUserChars: number;
}

export interface RequestFeatureText {
  /** The last user message, reduced: the part a router weighs most. */
  main: string;
  /** System prompt, earlier turns and tool names, reduced, each section tagged. */
  context: string;
  shape: ConversationShape;
}

function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const head = Math.ceil(limit * 0.75);
  return `${text.slice(0, head)}\n…\n${text.slice(text.length - (limit - head))}`;
}

/**
 * Turns a whole request into feature text: the last user message (head and tail kept when
 * longer than `featureTextLimits.lastUser`), plus a context text made of the system prompt,
 * the most recent earlier turns and the tool names, each clipped. See docs/routing-features.md.
 */
export function requestFeatureText(request: ChatRequest): RequestFeatureText {
  const messages = request.messages ?? [];
  let lastUserIndex = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === "user") {
      lastUserIndex = i;
      break;
    }
  }
  const shape: ConversationShape = {
    messages: messages.length,
    userTurns: 0,
    assistantTurns: 0,
    hasSystem: false,
    tools: request.tools?.length ?? 0,
    toolMessages: 0,
    totalChars: 0,
    lastUserChars: 0,
  };
  const systemParts: string[] = [];
  const earlier: string[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (!message) continue;
    const text = messageText(message);
    shape.totalChars += text.length;
    if (message.role === "user") shape.userTurns++;
    else if (message.role === "assistant") shape.assistantTurns++;
    else if (message.role === "tool") shape.toolMessages++;
    if (message.role === "system" || message.role === "developer") {
      shape.hasSystem = true;
      systemParts.push(text);
    } else if (i !== lastUserIndex && i < (lastUserIndex < 0 ? messages.length : lastUserIndex)) {
      earlier.push(`${message.role}: ${clip(text, featureTextLimits.earlierTurnChars)}`);
    }
  }
  const last = lastUserIndex >= 0 ? messageText(messages[lastUserIndex] ?? { role: "user" }) : "";
  shape.lastUserChars = last.length;
  const context: string[] = [];
  if (systemParts.length) context.push(`system: ${clip(systemParts.join("\n"), featureTextLimits.system)}`);
  context.push(...earlier.slice(-featureTextLimits.earlierTurns));
  const toolNames = (request.tools ?? []).map((tool) => tool.function?.name ?? "").filter(Boolean);
  if (toolNames.length) context.push(`tools: ${toolNames.join(" ")}`);
  return { main: clip(last, featureTextLimits.lastUser), context: context.join("\n"), shape };
}

/** The request a router sees for a prompt of outcome data (one user message). */
export function promptRequest(prompt: string): ChatRequest {
  return { model: "", messages: [{ role: "user", content: prompt }] };
}
