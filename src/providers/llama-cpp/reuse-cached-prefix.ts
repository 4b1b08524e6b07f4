import type { LlamaContextSequence, Token } from "node-llama-cpp";

/**
 * Keeps the part of the sequence's KV cache that matches the new prompt (a multi-turn chat
 * resends its history) and erases the rest. Returns the prompt tokens that still need
 * evaluating (always at least one, which yields the first token's logits) and how many came
 * from the cache.
 */
export async function reuseCachedPrefix(sequence: LlamaContextSequence, tokens: Token[]): Promise<{ input: Token[]; cached: number }> {
  const { firstDifferentIndex } = sequence.compareContextTokens(tokens);
  const keep = Math.max(0, Math.min(firstDifferentIndex, tokens.length - 1));
  if (sequence.nextTokenIndex > keep) {
    await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  }
  const cached = sequence.nextTokenIndex;
  return { input: tokens.slice(cached), cached };
}
