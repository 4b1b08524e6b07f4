import type { ChatRequest } from "../../src/core/chat-request.js";
import type { ChatResult, TokenLogprob } from "../../src/core/chat-result.js";
import type { CallOptions, LanguageModel } from "../../src/core/language-model.js";
import type { StreamPart } from "../../src/core/stream-part.js";
import { makeUsage } from "../../src/core/usage.js";
import { abortableSleep } from "../../src/engine/abortable-sleep.js";

/** What a scripted model does for one call. */
export interface ScriptedReply {
  text?: string;
  /** Per-token logprob reported when the request asks for logprobs (default -0.05). */
  logprob?: number;
  /** Throw this instead of answering. */
  error?: Error;
  finishReason?: "stop" | "length";
  /** Wait this long before answering (or before the first stream part); aborts with the signal. */
  delayMs?: number;
  /** Stream: wait this long after the start part, before the first word. */
  firstTokenDelayMs?: number;
  /** Stream: wait this long before each word after the first. */
  wordDelayMs?: number;
  promptTokens?: number;
  completionTokens?: number;
}

/**
 * A fake LanguageModel for engine logic: each call takes the next scripted reply (or asks
 * `reply(request, call)`), answers at once, and records the request. Streams send one
 * text-delta per word.
 */
export class ScriptedLanguageModel implements LanguageModel {
  readonly provider = "scripted";
  readonly upstreamModel: string;
  readonly capabilities = { assistantPrefill: false, logprobs: true, embeddings: false };
  readonly calls: ChatRequest[] = [];
  private readonly queue: ScriptedReply[] = [];

  constructor(
    readonly id: string,
    private readonly reply: (request: ChatRequest, call: number) => ScriptedReply = () => ({}),
  ) {
    this.upstreamModel = `${id}-upstream`;
  }

  script(...replies: ScriptedReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  private next(request: ChatRequest): ScriptedReply {
    this.calls.push(request);
    return this.queue.shift() ?? this.reply(request, this.calls.length);
  }

  async generate(request: ChatRequest, options: CallOptions): Promise<ChatResult> {
    if (options.signal.aborted) throw options.signal.reason;
    const r = this.next(request);
    if (r.delayMs) await abortableSleep(r.delayMs, options.signal);
    if (r.error) throw r.error;
    const text = r.text ?? `answer from ${this.id}`;
    const logprobs = request.logprobs ? { content: tokenLogprobs(text, r.logprob ?? -0.05) } : null;
    return {
      id: `chatcmpl-${this.id}-${this.calls.length}`,
      object: "chat.completion",
      created: 0,
      model: this.upstreamModel,
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: r.finishReason ?? "stop", logprobs }],
      usage: makeUsage(r.promptTokens ?? 10, r.completionTokens ?? words(text).length),
    };
  }

  async *stream(request: ChatRequest, options: CallOptions): AsyncIterable<StreamPart> {
    if (options.signal.aborted) throw options.signal.reason;
    const r = this.next(request);
    if (r.delayMs) await abortableSleep(r.delayMs, options.signal);
    if (r.error) throw r.error;
    const text = r.text ?? `answer from ${this.id}`;
    yield { type: "start", id: `chatcmpl-${this.id}`, model: this.upstreamModel };
    if (r.firstTokenDelayMs) await abortableSleep(r.firstTokenDelayMs, options.signal);
    let first = true;
    for (const word of words(text)) {
      if (!first && r.wordDelayMs) await abortableSleep(r.wordDelayMs, options.signal);
      first = false;
      const logprobs = request.logprobs ? tokenLogprobs(word, r.logprob ?? -0.05) : undefined;
      yield logprobs ? { type: "text-delta", choice: 0, text: word, logprobs } : { type: "text-delta", choice: 0, text: word };
    }
    yield { type: "finish", choice: 0, finishReason: r.finishReason ?? "stop" };
    yield { type: "usage", usage: makeUsage(r.promptTokens ?? 10, r.completionTokens ?? words(text).length) };
  }
}

function words(text: string): string[] {
  return text.match(/\s*\S+\s*$|\s*\S+/g) ?? [];
}

function tokenLogprobs(text: string, logprob: number): TokenLogprob[] {
  return words(text).map((token) => ({ token, logprob, top_logprobs: [] }));
}
