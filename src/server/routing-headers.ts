import { cascadeHeader } from "../engine/strategies/cascade/cascade-info.js";
import type { ChatStream, CompletedChat, EmbeddedTexts } from "../engine/chat-engine.js";

/** The `x-rightsize-*` headers that say what happened to a request. */
export function routingHeaders(requestId: string, info: ChatStream | CompletedChat | EmbeddedTexts): Record<string, string> {
  const headers: Record<string, string> = {
    "x-request-id": requestId,
    "x-rightsize-router": info.router?.id ?? "none",
    "x-rightsize-model": info.model.id,
    "x-rightsize-score": info.decision.score.toFixed(4),
    "x-rightsize-attempts": String(info.attempts.length),
  };
  if (info.cascade) headers["x-rightsize-cascade"] = cascadeHeader(info.cascade);
  if ("costUsd" in info) headers["x-rightsize-cost-usd"] = info.costUsd.toFixed(8);
  return headers;
}
