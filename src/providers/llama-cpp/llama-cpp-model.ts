import { randomUUID } from "node:crypto";
import path from "node:path";
import type { LlamaCppModelConfig } from "../../config/config-schema.js";
import type { ChatRequest } from "../../core/chat-request.js";
import type { ChatResult } from "../../core/chat-result.js";
import { ClientAbortError, InvalidRequestError } from "../../core/errors.js";
import type { CallOptions, EmbeddingRequest, EmbeddingResult, LanguageModel, ModelCapabilities } from "../../core/language-model.js";
import type { StreamPart } from "../../core/stream-part.js";
import { CallDeadline } from "./call-deadline.js";
import { collectAnswer } from "../../core/collect-answer.js";
import { embedTexts } from "./embed-texts.js";
import { generateTextParts } from "./generate-text-parts.js";
import { generateToolCallParts, toChatModelFunctions } from "./generate-tool-call-parts.js";
import { isHfReference } from "./hf-reference.js";
import type { LocalModelHost } from "./local-model-host.js";
import { resolveLoraAdapters, withAdapterNames } from "./lora-adapters.js";
import { readAhead } from "./read-ahead.js";
import { renderPrompt } from "./render-prompt.js";
import { createResponseGrammar } from "./response-grammar.js";
import { assertPromptFits } from "./assert-prompt-fits.js";
import { toChatHistory } from "./to-chat-history.js";
import { mergeTextDeltas } from "../../core/merge-text-deltas.js";

/** Parts generated ahead of a slow consumer (the model keeps decoding while chunks are sent). */
const READ_AHEAD_PARTS = 32;

/**
 * A GGUF model run in-process by node-llama-cpp: the local small-model tier. Streams the same
 * parts as the HTTP providers; `generate` is the stream collected.
 */
export class LlamaCppModel implements LanguageModel {
  readonly id: string;
  readonly provider = "llama-cpp";
  readonly upstreamModel: string;
  readonly capabilities: ModelCapabilities = { assistantPrefill: true, logprobs: true, embeddings: true };

  constructor(
    private readonly config: LlamaCppModelConfig,
    readonly host: LocalModelHost,
  ) {
    this.id = config.id;
    const base = isHfReference(config.model) ? config.model : path.basename(config.model);
    this.upstreamModel = withAdapterNames(base, resolveLoraAdapters(config));
  }

  /** Whether the weights are in memory now (they load on first use and unload when idle). */
  get isLoaded(): boolean {
    return this.host.isLoaded;
  }

  generate(request: ChatRequest, options: CallOptions): Promise<ChatResult> {
    return collectAnswer(this.stream(request, options), this.upstreamModel);
  }

  async *stream(request: ChatRequest, options: CallOptions): AsyncGenerator<StreamPart> {
    if (this.config.kind === "embedding") {
      throw new InvalidRequestError(`model ${this.id} is an embedding model; use /v1/embeddings`, { param: "model" });
    }
    if (request.n != null && request.n !== 1) {
      throw new InvalidRequestError(`local model ${this.id} supports n = 1 only`, { param: "n" });
    }
    const deadline = new CallDeadline(options, this.id);
    const lease = await this.host.lease(deadline.signal).catch((error: unknown) => {
      deadline.dispose();
      throw error;
    });
    try {
      const { history } = toChatHistory(request.messages);
      const useTools = (request.tools?.length ?? 0) > 0 && request.tool_choice !== "none";
      if (useTools && !lease.loaded.chatWrapper) {
        throw new InvalidRequestError(
          `local model ${this.id} has no chat template in its GGUF file, so it cannot call tools; send the request without tools`,
          { param: "tools" },
        );
      }
      const functions = useTools ? toChatModelFunctions(request) : undefined;
      const prompt = renderPrompt(lease.loaded, history, functions);
      assertPromptFits(prompt.tokens.length, lease.sequence.contextSize, this.id);
      const grammar = useTools ? undefined : await createResponseGrammar(lease.loaded.llama, request);
      yield { type: "start", id: `chatcmpl-${randomUUID()}`, model: this.upstreamModel, created: Math.floor(Date.now() / 1000) };
      const parts = functions
        ? generateToolCallParts({ lease, request, history, functions, promptTokens: prompt.tokens.length, deadline })
        : generateTextParts({ modelId: this.id, lease, request, prompt, grammar, deadline });
      yield* readAhead(parts, {
        limit: READ_AHEAD_PARTS,
        signal: deadline.signal,
        cancel: () => deadline.cancel(new ClientAbortError("the stream was closed by its consumer")),
        merge: mergeTextDeltas,
      });
    } finally {
      deadline.dispose();
      lease.release();
    }
  }

  async embed(request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingResult> {
    const deadline = new CallDeadline(options, this.id);
    try {
      return await this.host.withEmbedding(deadline.signal, (context, loaded) =>
        embedTexts({ modelId: this.id, model: this.upstreamModel, request, context, loaded, signal: deadline.signal }),
      );
    } finally {
      deadline.dispose();
    }
  }

  async close(): Promise<void> {
    await this.host.unload();
  }
}

/** Two queued text deltas become one (text and logprobs concatenated). */
