import type { LlamaGrammar, SequenceEvaluateOptions, Token } from "node-llama-cpp";
import { maxOutputTokens, stopSequences } from "../../core/chat-request.js";
import type { ChatRequest } from "../../core/chat-request.js";
import type { FinishReason, TokenLogprob } from "../../core/chat-result.js";
import type { StreamPart } from "../../core/stream-part.js";
import { makeUsage } from "../../core/usage.js";
import { abortReason } from "./abort-reason.js";
import { assertPromptFits } from "./assert-prompt-fits.js";
import type { CallDeadline } from "./call-deadline.js";
import type { SequenceLease } from "./local-model-host.js";
import type { RenderedPrompt } from "./render-prompt.js";
import { reuseCachedPrefix } from "./reuse-cached-prefix.js";
import { StopSequenceBuffer } from "./stop-sequence-buffer.js";
import { toTokenLogprob } from "./token-logprob.js";

export interface TextGenerationInput {
  modelId: string;
  lease: SequenceLease;
  request: ChatRequest;
  prompt: RenderedPrompt;
  grammar: LlamaGrammar | undefined;
  deadline: CallDeadline;
}

const UNFINISHED_UTF8 = "\uFFFD";

/**
 * The token loop: evaluates the prompt on the leased sequence and samples one token at a time,
 * yielding text-delta parts (with logprobs when asked), then finish and usage. It checks the
 * call's signal before every token, so an abort or deadline stops it within one token.
 * Usage is exact: the prompt tokens evaluated and the tokens sampled.
 */
export async function* generateTextParts(input: TextGenerationInput): AsyncGenerator<StreamPart> {
  const { lease, request, prompt, grammar, deadline } = input;
  const { model } = lease.loaded;
  const { sequence } = lease;
  const promptTokens = prompt.tokens.length;
  assertPromptFits(promptTokens, sequence.contextSize, input.modelId);
  const budget = sequence.contextSize - promptTokens;
  const maxTokens = Math.min(maxOutputTokens(request) ?? budget, budget);
  const wantLogprobs = request.logprobs === true;
  const topCount = wantLogprobs ? (request.top_logprobs ?? 0) : -1;
  const grammarStops = (grammar?.stopGenerationTriggers ?? []).filter((stop): stop is string => typeof stop === "string");
  const stops = new StopSequenceBuffer([...stopSequences(request), ...prompt.templateStops, ...grammarStops]);
  const { LlamaGrammarEvaluationState } = await import("node-llama-cpp");
  const temperature = request.temperature ?? 1;
  const options: SequenceEvaluateOptions = {
    temperature,
    ...(request.top_p != null && temperature > 0 ? { topP: request.top_p } : {}),
    ...(request.seed != null ? { seed: request.seed } : {}),
    ...(grammar ? { grammarEvaluationState: new LlamaGrammarEvaluationState({ model, grammar }) } : {}),
  };
  const generated: Token[] = [];
  const presencePenalty = request.presence_penalty ?? 0;
  const frequencyPenalty = request.frequency_penalty ?? 0;
  if (presencePenalty !== 0 || frequencyPenalty !== 0) {
    // OpenAI's additive penalties over the tokens of this completion (llama.cpp's penalties sampler).
    options.repeatPenalty = { punishTokens: () => generated, maxPunishTokens: maxTokens, penalty: 1, presencePenalty, frequencyPenalty };
  }
  const { input: evaluate, cached } = await reuseCachedPrefix(sequence, prompt.tokens);
  const pendingTokens: { token: Token; confidence: number; probabilities: Map<Token, number> | undefined }[] = [];
  const pendingLogprobs: { entry: TokenLogprob; chars: number }[] = [];
  const recent: Token[] = [];
  let completionTokens = 0;
  let emittedChars = 0;
  let coveredChars = 0;
  let fullText = "";
  let finishReason: FinishReason = "stop";
  const metadata = { confidence: wantLogprobs, probabilities: topCount > 0 } as const;
  for await (const output of sequence.evaluateWithMetadata(evaluate, metadata, options)) {
    if (deadline.signal.aborted) throw abortReason(deadline.signal);
    deadline.tokenArrived();
    completionTokens += 1;
    generated.push(output.token);
    if (prompt.stopTokens.has(output.token)) break;
    const withMeta = output as { token: Token; confidence?: number; probabilities?: Map<Token, number> };
    pendingTokens.push({ token: output.token, confidence: withMeta.confidence ?? 1, probabilities: withMeta.probabilities });
    const tokens = pendingTokens.map((item) => item.token);
    const text = model.detokenize(tokens, false, recent);
    const atLimit = completionTokens >= maxTokens;
    if (text.endsWith(UNFINISHED_UTF8) && !atLimit) continue; // a character split across tokens
    if (wantLogprobs) {
      for (const item of pendingTokens) {
        const detokenize = (tokens: readonly Token[]) => model.detokenize(tokens, false, recent);
        const tokenText = detokenize([item.token]);
        pendingLogprobs.push({ entry: toTokenLogprob(tokenText, item.confidence, item.probabilities, topCount, detokenize), chars: 0 });
      }
      const last = pendingLogprobs[pendingLogprobs.length - 1];
      if (last) last.chars = text.length;
    }
    recent.push(...tokens);
    recent.splice(0, Math.max(0, recent.length - 8));
    pendingTokens.length = 0;
    const { emit, stopped } = stops.push(text);
    if (emit !== "") {
      fullText += emit;
      yield { type: "text-delta", choice: 0, text: emit, ...logprobsFor(emit) };
    }
    if (stopped || (grammar && isCompleteJson(fullText))) break;
    if (atLimit) {
      finishReason = "length";
      break;
    }
  }
  if (deadline.signal.aborted) throw abortReason(deadline.signal);
  const rest = stops.flush();
  if (rest !== "") yield { type: "text-delta", choice: 0, text: rest, ...logprobsFor(rest) };
  yield { type: "finish", choice: 0, finishReason };
  const usage = makeUsage(promptTokens, completionTokens);
  usage.prompt_tokens_details = { cached_tokens: cached };
  yield { type: "usage", usage };

  /** The logprobs of the tokens whose text is now fully emitted. */
  function logprobsFor(emitted: string): { logprobs?: TokenLogprob[] } {
    if (!wantLogprobs) return {};
    emittedChars += emitted.length;
    const entries: TokenLogprob[] = [];
    for (let next = pendingLogprobs[0]; next && coveredChars + next.chars <= emittedChars; next = pendingLogprobs[0]) {
      pendingLogprobs.shift();
      coveredChars += next.chars;
      entries.push(next.entry);
    }
    return { logprobs: entries };
  }
}

function isCompleteJson(text: string): boolean {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith("}") && !trimmed.endsWith("]")) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}
