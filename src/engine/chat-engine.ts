import type { ModelConfig } from "../config/config-schema.js";
import type { ChatRequest } from "../core/chat-request.js";
import type { ChatResult } from "../core/chat-result.js";
import { InvalidRequestError, toRightsizeError } from "../core/errors.js";
import type { EmbeddingRequest, EmbeddingResult, LanguageModel } from "../core/language-model.js";
import { makeUsage } from "../core/usage.js";
import type { StreamPart } from "../core/stream-part.js";
import type { RouteDecision, Router } from "../routing/router.js";
import type { AttemptRecord } from "../storage/request-log-store.js";
import { streamedAnswers, wholeAnswers } from "./answer-source.js";
import { CircuitBreaker, type ModelBreaker } from "./circuit-breaker.js";
import { embeddingAsRunRequest, embedWith } from "./embed-request.js";
import { collectServedAnswer } from "./collect-served-answer.js";
import type { EngineCallContext, EngineDependencies } from "./engine-dependencies.js";
import { ExecutionPlanner, type ExecutionPlan } from "./execution-plan.js";
import type { StreamTimeouts } from "./open-stream-attempt.js";
import { RequestRun } from "./request-run.js";
import { type AttemptEnvironment, runAttempts } from "./run-attempts.js";
import type { CascadeInfo } from "./strategies/cascade/cascade-info.js";
import type { ServedAnswer, StrategyContext } from "./strategies/execution-strategy.js";
import { streamSession } from "./stream-session.js";

export interface RoutedInfo {
  router: Router | null;
  decision: RouteDecision;
  /** The model that served (or, for a stream, started serving) the answer. */
  model: LanguageModel;
  attempts: readonly AttemptRecord[];
  /** How the cascade ended, for cascade routers. */
  cascade?: CascadeInfo;
}

export interface CompletedChat extends RoutedInfo {
  result: ChatResult;
  costUsd: number;
}

export interface EmbeddedTexts extends RoutedInfo {
  result: EmbeddingResult;
  costUsd: number;
}

export interface ChatStream extends RoutedInfo {
  /** The answer as stream parts, ending with one `usage` part: the served answer's. */
  parts: AsyncIterable<StreamPart>;
}

/**
 * The engine: plan (the router's choice and the strategy that executes it) → the strategy's
 * attempts (retries, fallbacks, circuit breakers, deadlines, cascade gates) → the served
 * answer's stream (mid-stream failover) → account → log. One path for JSON and streams: a JSON
 * answer is the served stream, collected. Knows no concrete provider and no HTTP.
 */
export class ChatEngine {
  private readonly breakers = new Map<string, ModelBreaker>();
  private readonly planner: ExecutionPlanner;
  private readonly env: AttemptEnvironment;
  private readonly streamEnv: AttemptEnvironment;
  private readonly modelConfig: ReadonlyMap<string, ModelConfig>;
  private readonly timeoutsOf: Map<string, StreamTimeouts> = new Map();
  private readonly timeouts = (id: string) => this.streamTimeouts(id);

  constructor(private readonly deps: EngineDependencies) {
    const { config } = deps;
    const modelConfig = new Map(config.models.map((m) => [m.id, m]));
    this.modelConfig = modelConfig;
    this.planner = new ExecutionPlanner({
      models: deps.models,
      routers: deps.routers,
      fallbacks: new Map(config.routers.map((r) => [r.id, r.fallbacks])),
    });
    this.env = {
      retry: config.retry,
      breaker: (id) => this.breakerFor(id),
      contextWindow: (id) => modelConfig.get(id)?.contextWindow ?? Number.POSITIVE_INFINITY,
      attemptTimeoutMs: (id) => modelConfig.get(id)?.timeouts?.attemptMs ?? config.server.timeouts.attemptMs,
      remainingMs: (state) => config.server.timeouts.requestMs - (performance.now() - state.startedAtMonotonic),
    };
    this.streamEnv = { ...this.env, attemptDeadlines: false };
  }

  breakerFor(modelId: string): ModelBreaker {
    let breaker = this.breakers.get(modelId);
    if (!breaker) {
      breaker = this.deps.createBreaker?.(modelId) ?? new CircuitBreaker(this.deps.config.breaker);
      this.breakers.set(modelId, breaker);
    }
    return breaker;
  }

  async complete(request: ChatRequest, context: EngineCallContext): Promise<CompletedChat> {
    const { run, plan, served, parts } = await this.serve(request, context, false);
    const result = await collectServedAnswer(parts, served);
    return { result, costUsd: run.totalCost(), ...routedInfo(run, plan, served) };
  }

  /** Resolves once the first content part is in hand (before anything reaches the client). */
  async stream(request: ChatRequest, context: EngineCallContext): Promise<ChatStream> {
    const { run, plan, served, parts } = await this.serve(request, context, true);
    return { parts, ...routedInfo(run, plan, served) };
  }

  /**
   * Embeddings through the same planner and attempts: a model named directly, or a router's
   * choice and its fallbacks (a chain; a cascade serves chat only), with retries, breakers,
   * deadlines, accounting, one log row and its metrics.
   */
  async embed(request: EmbeddingRequest, context: EngineCallContext): Promise<EmbeddedTexts> {
    const run = new RequestRun(this.deps, embeddingAsRunRequest(request), context, false);
    try {
      const plan = await this.planner.plan(run.request, context);
      run.plan = plan;
      if (plan.strategy.targets === undefined) {
        throw new InvalidRequestError(`"${request.model}" is a ${plan.strategy.kind}, which serves chat completions, not embeddings`, {
          param: "model",
        });
      }
      const success = await runAttempts(plan.strategy.targets, run, "route", this.env, (model, signal) =>
        embedWith(model, { ...request, model: model.id }, { signal }),
      );
      success.controller.dispose();
      const result = success.value;
      success.attempt.succeed({ usage: makeUsage(result.usage.prompt_tokens, 0), text: "" });
      run.finish({ status: 200, model: success.model, finishReason: null, answer: null, ttftMs: null });
      return {
        result,
        costUsd: run.totalCost(),
        router: plan.router,
        decision: plan.decision,
        model: success.model,
        attempts: run.state.attempts,
      };
    } catch (thrown) {
      const error = toRightsizeError(thrown);
      run.finish({ status: error.status, error, model: null, finishReason: null, answer: null, ttftMs: null });
      throw error;
    }
  }

  /** The one path: plan → strategy → the served answer's stream, which ends the run and writes its log row. */
  private async serve(
    request: ChatRequest,
    context: EngineCallContext,
    stream: boolean,
  ): Promise<{ run: RequestRun; plan: ExecutionPlan; served: ServedAnswer; parts: AsyncIterable<StreamPart> }> {
    const run = new RequestRun(this.deps, request, context, stream);
    try {
      const plan = await this.planner.plan(request, context);
      run.plan = plan;
      const strategyContext: StrategyContext = {
        run,
        source: stream ? streamedAnswers : wholeAnswers,
        env: this.env,
        streamEnv: this.streamEnv,
        models: this.deps.models,
        timeouts: this.timeouts,
      };
      const served = await plan.strategy.execute(strategyContext);
      const parts = streamSession(run, served.opened, { candidates: served.candidates, env: this.env, timeouts: this.timeouts, stream });
      return { run, plan, served, parts };
    } catch (thrown) {
      const error = toRightsizeError(thrown);
      run.finish({ status: error.status, error, model: null, finishReason: null, answer: null, ttftMs: null });
      throw error;
    }
  }

  private streamTimeouts(modelId: string): StreamTimeouts {
    let timeouts = this.timeoutsOf.get(modelId);
    if (!timeouts) {
      const model = this.modelConfig.get(modelId);
      const server = this.deps.config.server.timeouts;
      timeouts = {
        firstTokenMs: model?.timeouts?.firstTokenMs ?? server.firstTokenMs,
        idleStreamMs: model?.timeouts?.idleStreamMs ?? server.idleStreamMs,
      };
      this.timeoutsOf.set(modelId, timeouts);
    }
    return timeouts;
  }
}

/** What routing and execution decided for a served request. */
function routedInfo(run: RequestRun, plan: ExecutionPlan, served: ServedAnswer): RoutedInfo {
  const info: RoutedInfo = { router: plan.router, decision: plan.decision, model: served.opened.model, attempts: run.state.attempts };
  if (served.cascade) info.cascade = served.cascade;
  return info;
}
