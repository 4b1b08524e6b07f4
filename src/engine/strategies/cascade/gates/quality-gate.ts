import type { ChatRequest } from "../../../../core/chat-request.js";
import type { FinishReason, TokenLogprob } from "../../../../core/chat-result.js";
import type { LanguageModel } from "../../../../core/language-model.js";

/** A tier's complete answer, as a gate sees it. */
export interface GateInput {
  request: ChatRequest;
  tier: LanguageModel;
  text: string;
  finishReason: FinishReason | null;
  refusal: string | null;
  /** The answer calls tools (gates that read text let such answers through). */
  hasToolCalls: boolean;
  /** Token logprobs when the tier returned them. */
  logprobs: readonly TokenLogprob[] | null;
}

export interface GateVerdict {
  pass: boolean;
  /** In [0,1]: how good the gate thinks the answer is (used by weighted gates and "best so far"). */
  score: number;
  /** A short sentence for the request log, e.g. `confidence: mean logprob -0.21 ≥ -0.5`. */
  reason: string;
}

/** What gates may call: extra model calls, each recorded and costed as an attempt of the request. */
export interface GateServices {
  /** Calls `model` (or the tier itself) once; the attempt is logged with `step`. */
  generate(model: LanguageModel | string, request: ChatRequest, step: "judge" | "sample"): Promise<{ text: string }>;
}

/**
 * Decides whether a tier's answer is good enough to serve. `decideEarly` (optional) decides on
 * a stream's first tokens so a held stream can be released (or abandoned) before it ends; it
 * returns undefined when it cannot decide yet.
 */
export interface QualityGate {
  readonly name: string;
  /** The gate reads token logprobs: the engine asks the tier for them. */
  readonly needsLogprobs: boolean;
  /** Tokens after which `decideEarly` can decide (undefined: the gate needs the whole answer). */
  readonly earlyTokens: number | undefined;
  evaluate(input: GateInput, services: GateServices): Promise<GateVerdict>;
  decideEarly?(logprobs: readonly TokenLogprob[], text: string): GateVerdict | undefined;
}
