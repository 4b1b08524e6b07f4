import type { ChatRequest } from "../core/chat-request.js";
import { ClientAbortError, TimeoutError, type RightsizeError } from "../core/errors.js";
import type { LanguageModel } from "../core/language-model.js";
import { makeUsage, type Usage } from "../core/usage.js";
import { estimatePromptTokens, estimateTokens } from "../pricing/estimate-tokens.js";
import type { AttemptRecord, RequestLogRecord } from "../storage/request-log-store.js";
import { ChildAbortController } from "./child-abort-controller.js";
import { DeadlineTimer } from "./deadline-timer.js";
import type { EngineCallContext, EngineDependencies } from "./engine-dependencies.js";
import type { RouteDecision, Router } from "../routing/router.js";
import type { RequestState } from "./request-state.js";
import type { AttemptHandle, AttemptOutput } from "./attempt-handle.js";

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
  /** The router's choice, once planned (the log row names it). */
  plan: { router: Router | null; decision: RouteDecision } | null = null;
  private readonly deadline: ChildAbortController | DeadlineTimer;
  private finished = false;
  private latest: AttemptHandle | undefined;

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

  /**
   * Starts an attempt on `model`: its record joins the request's attempts now, in order, and
   * only the returned handle completes it.
   */
  begin(model: string, step: AttemptRecord["step"]): AttemptHandle {
    const record: AttemptRecord = { model, step, outcome: "ok", latencyMs: 0 };
    this.state.attempts.push(record);
    const handle = new RunAttempt(record, performance.now(), this);
    this.latest = handle;
    return handle;
  }

  /** The attempt begun last (to note why the run stops there). */
  latestAttempt(): AttemptHandle | undefined {
    return this.latest;
  }

  /** Usage and cost of an attempt's output (usage estimated from its text when the model reported none). */
  account(record: AttemptRecord, output: AttemptOutput): void {
    const usage = output.usage ?? makeUsage(estimatePromptTokens(this.request), estimateTokens(output.text), true);
    record.usage = usage;
    record.costUsd = this.deps.prices.costOf(record.model, usage);
  }

  observe(record: AttemptRecord): void {
    this.deps.observer?.onAttempt?.(record);
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

class RunAttempt implements AttemptHandle {
  private observed = false;

  constructor(
    readonly record: AttemptRecord,
    readonly startedAt: number,
    private readonly run: RequestRun,
  ) {}

  get model(): string {
    return this.record.model;
  }

  succeed(output: AttemptOutput): void {
    this.record.outcome = "ok";
    this.end(output);
  }

  fail(error: RightsizeError, aborted: boolean, output?: AttemptOutput): void {
    const record = this.record;
    record.outcome = aborted ? "aborted" : "error";
    record.status = error.upstreamStatus ?? error.status;
    record.error = error.message;
    if (output) record.partial = output.text.length > 0;
    this.end(output);
  }

  abandon(note: string, output: AttemptOutput): void {
    this.note(note);
    this.record.partial = output.text.length > 0;
    this.end(output);
  }

  reject(reason: string): void {
    this.record.outcome = "rejected";
    this.record.error = reason;
    this.end(undefined);
  }

  note(text: string): void {
    const record = this.record;
    record.note = record.note ? `${record.note}; ${text}` : text;
  }

  private end(output: AttemptOutput | undefined): void {
    if (output) this.run.account(this.record, output);
    if (this.record.outcome !== "rejected") this.record.latencyMs = performance.now() - this.startedAt;
    if (this.observed) return;
    this.observed = true;
    this.run.observe(this.record);
  }
}
