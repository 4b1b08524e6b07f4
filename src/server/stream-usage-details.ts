import type { Usage } from "../core/usage.js";
import type { AttemptRecord } from "../storage/request-log-store.js";

/**
 * The streamed usage as the client gets it: with `prompt_tokens_details.cached_tokens`, the
 * prompt-cache reads of the attempts the usage sums, when the upstreams reported them (the JSON
 * answer carries them too). A usage part that has its own details is left as it is.
 */
export function withCachedTokens(usage: Usage, attempts: readonly AttemptRecord[]): Usage {
  if (usage.prompt_tokens_details?.cached_tokens !== undefined) return usage;
  let cached: number | undefined;
  for (const attempt of attempts) {
    const reported = attempt.usage?.prompt_tokens_details?.cached_tokens;
    if (reported !== undefined) cached = (cached ?? 0) + reported;
  }
  if (cached === undefined) return usage;
  return { ...usage, prompt_tokens_details: { ...usage.prompt_tokens_details, cached_tokens: Math.min(cached, usage.prompt_tokens) } };
}
