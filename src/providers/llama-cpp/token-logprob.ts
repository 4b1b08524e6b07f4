import type { Token } from "node-llama-cpp";
import type { TokenLogprob } from "../../core/chat-result.js";

type Detokenize = (tokens: readonly Token[]) => string;

/**
 * One generated token's logprob in OpenAI's shape. The probabilities are node-llama-cpp's
 * after the request's sampling options (temperature, top_p); with temperature 0 they are the
 * model's plain softmax. A probability of 0 maps to -9999 as OpenAI does.
 */
export function toTokenLogprob(
  text: string,
  confidence: number,
  probabilities: Map<Token, number> | undefined,
  topCount: number,
  detokenize: Detokenize,
): TokenLogprob {
  const entry: TokenLogprob = { token: text, logprob: logOf(confidence), bytes: [...Buffer.from(text, "utf8")] };
  if (topCount > 0 && probabilities) {
    const top: NonNullable<TokenLogprob["top_logprobs"]> = [];
    for (const [token, probability] of probabilities) {
      if (top.length >= topCount) break;
      const tokenText = detokenize([token]);
      top.push({ token: tokenText, logprob: logOf(probability), bytes: [...Buffer.from(tokenText, "utf8")] });
    }
    entry.top_logprobs = top;
  } else if (topCount === 0) {
    entry.top_logprobs = [];
  }
  return entry;
}

function logOf(probability: number): number {
  return probability > 0 ? Math.log(probability) : -9999;
}
