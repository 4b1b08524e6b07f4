import type { ChatMessage } from "../../core/chat-request.js";
import { requestFeatureText } from "../../routing/features/request-feature-text.js";

/**
 * The prompt of an outcome row for a logged conversation, as routers see it: the conversation
 * reduced by `requestFeatureText` (docs/routing-features.md) — the system prompt, the 3 most
 * recent earlier turns (each clipped) and then the last user message (head and tail kept when
 * long). A single user message stays exactly itself, so such a row matches live routing exactly.
 */
export function routerPrompt(messages: readonly ChatMessage[]): string {
  const text = requestFeatureText({ model: "", messages: [...messages] });
  return text.context ? `${text.context}\nuser: ${text.main}` : text.main;
}
