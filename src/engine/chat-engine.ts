import type { ModelConfig } from "../config/config-schema.js";
import type { ChatRequest } from "../core/chat-request.js";
import type { ChatResult } from "../core/chat-result.js";
import { toRightsizeError } from "../core/errors.js";
import type { LanguageModel } from "../core/language-model.js";
import type { StreamPart } from "../core/stream-part.js";
import { isCascadeRouter, type CascadeRouter } from "../routing/routers/cascade-router.js";
import type { RouteDecision, Router } from "../routing/router.js";
import type { AttemptRecord } from "../storage/request-log-store.js";
import type { CascadeInfo } from "./cascade/cascade-info.js";
import { cascadePlan, type CascadePlan } from "./cascade/cascade-plan.js";
import { completeCascade } from "./cascade/complete-cascade.js";
import { openCascadeStream } from "./cascade/open-cascade-stream.js";
import { CircuitBreaker, type ModelBreaker } from "./circuit-breaker.js";
import type { EngineCallContext, EngineDependencies } from "./engine-dependencies.js";
import { planExecution, type ExecutionPlan, type PlanSources } from "./execution-plan.js";
import { openStreamAttempt } from "./open-stream-attempt.js";
import { RequestRun } from "./request-run.js";
import { runAttempts, type AttemptEnvironment } from "./run-attempts.js";
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

export interface ChatStream extends RoutedInfo {
  /** The answer as stream parts, ending with one `usage` part over every attempt. */
  parts: AsyncIterable<StreamPart>;
}

/**
 * The engine: route → execute (retries, fallbacks, circuit breakers, deadlines, mid-stream
 * failover) → account → log. Knows no concrete provider and no HTTP.
 */
export class ChatEngine {
  private readonly breakers = new Map<string, ModelBreaker>();
  private readonly sources: PlanSources;
  private readonly env: AttemptEnvironment;
  private readonly streamEnv: AttemptEnvironment;
  private readonly modelConfig: ReadonlyMap<string, ModelConfig>;

  constructor(private readonly deps: EngineDependencies) {
    const { config } = deps;
    const modelConfig = new Map(config.models.map((m) => [m.id, m]));
    this.modelConfig = modelConfig;
    this.sources = {
      models: deps.models,
      routers: deps.routers,
      fallbacks: new Map(config.routers.map((r) => [r.id, r.fallbacks])),
    };
    this.env = {
      retry: config.retry,
      breaker: (id) => this.breakerFor(id),
      contextWindow: (id) => modelConfig.get(id)?.contextWindow ?? Number.POSITIVE_INFINITY,
      attemptTimeoutMs: (id) => modelConfig.get(id)?.timeouts?.attemptMs ?? config.server.timeouts.attemptMs,
      remainingMs: (state) => config.server.timeouts.requestMs - (performance.now() - state.startedAtMonotonic),
      observer: deps.observer,
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
    const run = new RequestRun(this.deps, request, context, false);
    try {
      const plan = await planExecution(request, context, this.sources);
      run.plan = plan;
      const served = isCascadeRouter(plan.router)
        ? await completeCascade(run, this.cascadePlan(plan.router), this.env, this.deps.models)
        : await this.completeRouted(run, plan);
      const result = served.result;
      const choice = result.choices[0];
      const answer = choice ? answerText(choice.message.content, choice.message.tool_calls) : "";
      const costUsd = run.totalCost();
      run.finish({
        status: 200,
        model: served.model,
        finishReason: choice?.finish_reason ?? null,
        answer,
        ttftMs: null,
      });
      const info: CompletedChat = {
        result,
        costUsd,
        router: plan.router,
        decision: plan.decision,
        model: served.model,
        attempts: run.state.attempts,
      };
      if (served.cascade) info.cascade = served.cascade;
      return info;
    } catch (thrown) {
      const error = toRightsizeError(thrown);
      run.finish({ status: error.status, error, model: null, finishReason: null, answer: null, ttftMs: null });
      throw error;
    }
  }

  private async completeRouted(
    run: RequestRun,
    plan: ExecutionPlan,
  ): Promise<{ result: ChatResult; model: LanguageModel; cascade?: CascadeInfo }> {
    const request = run.request;
    const success = await runAttempts(plan.candidates, run.state, "route", this.env, (model, signal) =>
      model.generate(request, { signal }),
    );
    success.controller.dispose();
    const choice = success.value.choices[0];
    const answer = choice ? answerText(choice.message.content, choice.message.tool_calls) : "";
    run.settleAttempt(success.attempt, success.value.usage, answer, success.startedAtMonotonic);
    return { result: success.value, model: success.model };
  }

  private cascadePlan(router: CascadeRouter): CascadePlan {
    return cascadePlan(router, this.deps.models, this.sources.fallbacks.get(router.id) ?? []);
  }

  /** Resolves once the first content part is in hand (before anything reaches the client). */
  async stream(request: ChatRequest, context: EngineCallContext): Promise<ChatStream> {
    const run = new RequestRun(this.deps, request, context, true);
    try {
      const plan = await planExecution(request, context, this.sources);
      run.plan = plan;
      const timeouts = (id: string) => this.streamTimeouts(id);
      if (isCascadeRouter(plan.router)) {
        const start = await openCascadeStream(run, this.cascadePlan(plan.router), { env: this.env, models: this.deps.models, timeouts });
        const parts = streamSession(run, start.opened, { candidates: start.candidates, env: this.env, timeouts });
        return {
          parts,
          router: plan.router,
          decision: plan.decision,
          model: start.opened.model,
          attempts: run.state.attempts,
          cascade: start.cascade,
        };
      }
      // The stream's first-token timeout bounds the wait; no separate attempt deadline.
      const opened = await runAttempts(plan.candidates, run.state, "route", this.streamEnv, (model, signal) =>
        openStreamAttempt(model, request, signal, timeouts(model.id)),
      );
      const parts = streamSession(run, opened, { candidates: plan.candidates, env: this.env, timeouts });
      return { parts, router: plan.router, decision: plan.decision, model: opened.model, attempts: run.state.attempts };
    } catch (thrown) {
      const error = toRightsizeError(thrown);
      run.finish({ status: error.status, error, model: null, finishReason: null, answer: null, ttftMs: null });
      throw error;
    }
  }

  private streamTimeouts(modelId: string): { firstTokenMs: number; idleStreamMs: number } {
    const model = this.modelConfig.get(modelId);
    const server = this.deps.config.server.timeouts;
    return {
      firstTokenMs: model?.timeouts?.firstTokenMs ?? server.firstTokenMs,
      idleStreamMs: model?.timeouts?.idleStreamMs ?? server.idleStreamMs,
    };
  }
}

function answerText(content: string | null, toolCalls: unknown): string {
  const text = content ?? "";
  return toolCalls ? `${text}${text ? "\n" : ""}${JSON.stringify(toolCalls)}` : text;
}
