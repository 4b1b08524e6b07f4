import { collectAnswer } from "../core/collect-answer.js";
import type { ChatResult } from "../core/chat-result.js";
import type { StreamPart } from "../core/stream-part.js";
import type { ServedAnswer } from "./strategies/execution-strategy.js";

/**
 * A JSON answer: the served answer's stream, collected. The stream still runs to its end (it
 * settles the attempt and writes the log row); a whole answer the model returned at once is
 * served as it came (its fields kept), without logprobs the strategy asked for on its own.
 */
export async function collectServedAnswer(parts: AsyncIterable<StreamPart>, served: ServedAnswer): Promise<ChatResult> {
  const whole = served.opened.value.result;
  if (!whole) return collectAnswer(parts, served.opened.model.upstreamModel);
  for await (const _part of parts) {
    // relayed to the log; the answer is `whole`
  }
  return served.dropLogprobs ? withoutLogprobs(whole) : whole;
}

function withoutLogprobs(result: ChatResult): ChatResult {
  if (!result.choices.some((c) => c.logprobs)) return result;
  return { ...result, choices: result.choices.map((c) => ({ ...c, logprobs: null })) };
}
