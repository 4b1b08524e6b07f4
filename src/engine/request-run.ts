import type { ChatRequest } from "../core/chat-request.js";
import { ClientAbortError, TimeoutError, type RightsizeError } from "../core/errors.js";
import type { LanguageModel } from "../core/language-model.js";
import { makeUsage, type Usage } from "../core/usage.js";
import { estimatePromptTokens, estimateTokens } from "../pricing/estimate-tokens.js";
import type { AttemptRecord, RequestLogRecord } from "../storage/request-log-store.js";
import { ChildAbortController } from "./child-abort-controller.js";
import { DeadlineTimer } from "./deadline-timer.js";
import type { EngineCallContext, EngineDependencies } from "./engine-dependencies.js";
import type { ExecutionPlan } from "./execution-plan.js";
import type { RequestState } from "./request-state.js";

export interface RunOutcome {
  status: number;
  error?: RightsizeError;
  model: LanguageModel | null;
  finishReason: string | null;
  answer: string | null;
  ttftMs: number | null;
}

/** One request from arrival to its log row: deadline, attempts, accounting. */
export class RequestRun {
  readonly state: RequestState;
  plan: ExecutionPlan | null = null;
  private readonly deadline: ChildAbortController | DeadlineTimer;
  private finished = false;

  constructor(
    private readonly deps: EngineDependencies,
    readonly request: ChatRequest,
    readonly context: EngineCallContext,
    readonly stream: boolean,
  ) {
    const requestMs = deps.config.server.timeouts.requestMs;
    const timeout = () => new TimeoutError(`the request did not finish within its ${requestMs} ms deadline`);
    // The caller's own controller (the HTTP route's) takes the deadline too: one signal less per request.
    this.deadline = context.controller
      ? new DeadlineTimer(context.controller, requestMs, timeout)
      : new ChildAbortController(context.signal, requestMs, timeout);
    this.state = {
      id: context.requestId,
      signal: this.deadline.signal,
      startedAt: Date.now(),
      startedAtMonotonic: performance.now(),
      attempts: [],
    };
  }

  elapsedMs(): number {
    return performance.now() - this.state.startedAtMonotonic;
  }

  /** Completes an attempt record with its usage and cost (estimating usage when absent). */
  settleAttempt(attempt: AttemptRecord, usage: Usage | undefined, outputText: string, startedAt: number): void {
    const first = attempt.usage === undefined;
    const settled = usage ?? makeUsage(estimatePromptTokens(this.request), estimateTokens(outputText), true);
    attempt.usage = settled;
    attempt.costUsd = this.deps.prices.costOf(attempt.model, settled);
    attempt.latencyMs = performance.now() - startedAt;
    // A held cascade tier is settled when held and again when relayed: observe it once.
    if (first) this.deps.observer?.onAttempt?.(attempt);
  }

  /** Usage over every attempt (failed partial streams included). */
  totalUsage(): Usage {
    let prompt = 0;
    let completion = 0;
    let estimated = false;
    for (const attempt of this.state.attempts) {
      if (!attempt.usage) continue;
      prompt += attempt.usage.prompt_tokens;
      completion += attempt.usage.completion_tokens;
      estimated ||= Boolean(attempt.usage.estimated);
    }
    return makeUsage(prompt, completion, estimated);
  }

  totalCost(): number {
    let cost = 0;
    for (const attempt of this.state.attempts) cost += attempt.costUsd ?? 0;
    return cost;
  }

  clientGone(): boolean {
    const signal = this.context.signal;
    return signal.aborted && !(signal.reason instanceof TimeoutError);
  }

  finish(outcome: RunOutcome): RequestLogRecord | undefined {
    if (this.finished) return undefined;
    this.finished = true;
    this.deadline.dispose();
    const usage = this.totalUsage();
    const logContent = this.deps.config.storage.logContent;
    const error = outcome.error;
    const status = error instanceof ClientAbortError ? 499 : outcome.status;
    const record: RequestLogRecord = {
      id: this.state.id,
      time: this.state.startedAt,
      callerId: this.context.callerId ?? null,
      requestedModel: this.request.model,
      router: this.plan?.router?.id ?? null,
      score: this.plan?.router ? this.plan.decision.score : null,
      model: outcome.model?.id ?? null,
      reason: this.plan?.decision.reason ?? null,
      status,
      error: error ? error.message : null,
      attempts: this.state.attempts,
      promptTokens: usage.prompt_tokens,
      completionTokens: usage.completion_tokens,
      usageEstimated: Boolean(usage.estimated),
      costUsd: this.totalCost(),
      ttftMs: outcome.ttftMs,
      latencyMs: this.elapsedMs(),
      stream: this.stream,
      finishReason: outcome.finishReason,
      prompt: logContent ? JSON.stringify(this.request.messages) : null,
      answer: logContent ? outcome.answer : null,
    };
    if (this.context.episodeId !== undefined) record.episodeId = this.context.episodeId;
    if (this.context.tags !== undefined) record.tags = this.context.tags;
    this.deps.store.append(record);
    this.deps.observer?.onRequestEnd?.(record);
    this.deps.observer?.onFinished?.({ request: this.request, record, answer: outcome.answer, headers: this.context.headers });
    return record;
  }
}
