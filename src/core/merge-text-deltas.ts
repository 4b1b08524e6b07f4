import type { StreamPart } from "./stream-part.js";

/** Two adjacent text deltas of the same choice as one (logprobs concatenated), or undefined. */
export function mergeTextDeltas(first: StreamPart, second: StreamPart): StreamPart | undefined {
  if (first.type !== "text-delta" || second.type !== "text-delta" || first.choice !== second.choice) return undefined;
  const logprobs = first.logprobs || second.logprobs ? [...(first.logprobs ?? []), ...(second.logprobs ?? [])] : undefined;
  return { type: "text-delta", choice: first.choice, text: first.text + second.text, ...(logprobs ? { logprobs } : {}) };
}
