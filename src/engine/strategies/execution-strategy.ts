import type { LanguageModel } from "../../core/language-model.js";
import type { AnswerSource } from "../answer-source.js";
import type { OpenedStream, StreamTimeouts } from "../open-stream-attempt.js";
import type { RequestRun } from "../request-run.js";
import type { AttemptEnvironment, AttemptSuccess } from "../run-attempts.js";
import type { CascadeInfo } from "./cascade/cascade-info.js";

/** What a strategy runs with: the request's run and how its attempts ask models. */
export interface StrategyContext {
  run: RequestRun;
  /** Streamed or whole answers: the strategy's code is the same for both. */
  source: AnswerSource;
  /** Attempts with their own deadline. */
  env: AttemptEnvironment;
  /** Attempts on the request's signal, a stream's first-token timeout bounding the wait. */
  streamEnv: AttemptEnvironment;
  models: ReadonlyMap<string, LanguageModel>;
  timeouts(modelId: string): StreamTimeouts;
}

/** The answer a strategy chose to serve; nothing of it has reached the client yet. */
export interface ServedAnswer {
  /** The attempt whose answer is served (its stream relayed, or its whole answer collected). */
  opened: AttemptSuccess<OpenedStream>;
  /** Models that may continue the answer if its stream breaks after the first byte. */
  candidates: readonly LanguageModel[];
  /** How the cascade ended, for cascades. */
  cascade?: CascadeInfo;
  /** The strategy asked for logprobs the client did not: a whole answer drops them. */
  dropLogprobs?: boolean;
}

/**
 * How a plan is executed: a value the engine runs (a chain of targets, a cascade of tiers),
 * not a branch in the engine.
 */
export interface ExecutionStrategy {
  readonly kind: "chain" | "cascade";
  /** A chain's targets in order (what an embedding request may use); undefined for a cascade. */
  readonly targets?: readonly LanguageModel[];
  execute(context: StrategyContext): Promise<ServedAnswer>;
}
