export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** true when the provider reported no usage and rightsize estimated it. */
  estimated?: boolean;
  prompt_tokens_details?: { cached_tokens?: number };
}

export function makeUsage(promptTokens: number, completionTokens: number, estimated = false): Usage {
  const usage: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  if (estimated) usage.estimated = true;
  return usage;
}

export function addUsage(a: Usage, b: Usage): Usage {
  return makeUsage(a.prompt_tokens + b.prompt_tokens, a.completion_tokens + b.completion_tokens, Boolean(a.estimated || b.estimated));
}
