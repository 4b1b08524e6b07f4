import { randomUUID } from "node:crypto";
import { DEFAULT_ABSOLUTE_RUBRIC, DEFAULT_PAIRWISE_RUBRIC, type ShadowConfig } from "../../config/shadow-config-schema.js";
import type { ChatRequest } from "../../core/chat-request.js";
import { estimatePromptTokens, estimateTokens } from "../../pricing/estimate-tokens.js";
import type { PriceTable } from "../../pricing/price-table.js";
import type { Router } from "../../routing/router.js";
import type { FinishedRequest } from "../engine-observer.js";
import { judgeAnswers, type JudgeSettings } from "../judge/judge-answers.js";
import type { Judgment } from "../judge/judgment.js";
import { requestJsonSchema } from "../judge/json-schema-validity.js";
import { pickShadowTargets, type ShadowTarget } from "./pick-shadow-targets.js";
import { ShadowBudget } from "./shadow-budget.js";
import type { ShadowCall, ShadowCallResult } from "./shadow-call.js";
import type { ShadowJobOutcome, ShadowObserver } from "./shadow-observer.js";
import type { ShadowRecord } from "../../storage/shadow-record.js";

export const SHADOW_HEADER = "x-rightsize-shadow";

export interface ShadowSchedulerOptions {
  shadow: ShadowConfig;
  routers: ReadonlyMap<string, Router>;
  prices: PriceTable;
  /** Models that run on this machine: their shadow calls start only while no served request is in flight. */
  localModels?: ReadonlySet<string>;
  /** Runs one shadow or judge call through the engine. */
  call: ShadowCall;
  /** Where each judgment goes (the request log's `appendShadow`). */
  sink: (result: ShadowRecord) => void;
  /** Served requests in flight now (the gateway's load). */
  load: () => number;
  /** Store the shadow answer's text (`storage.logContent`). */
  logContent: boolean;
  observer?: ShadowObserver;
  /**
   * More models to ask for a request `servedModel` answered (a canary's candidate, judged against
   * the incumbent on the same request); each must be one the router may choose.
   */
  extraTargets?: (servedModel: string) => ShadowTarget[];
  /** The sampling draw, in [0, 1) (default Math.random). */
  random?: () => number;
  now?: () => number;
  /** How soon a job held back by a busy gateway is looked at again (default 50 ms). */
  recheckMs?: number;
}

interface ShadowJob {
  router: string;
  target: ShadowTarget;
  request: ChatRequest;
  servedModel: string;
  servedAnswer: string;
  requestId: string;
  local: boolean;
  servedCompletionTokens: number;
}

/**
 * Shadow evaluation off the served path. `offer` is called when a served answer is complete
 * (the engine's `onFinished` hook): it only draws the sample and queues; the jobs run later,
 * each a shadow call and its judgment through the engine, marked as shadow and never served.
 * Load sheds them first: a full queue or a busy gateway drops new jobs, a busy gateway holds
 * queued ones (until it has been quiet for `busyQuietMs`), a local model's job waits until no
 * served request is in flight, and a job
 * that would pass the day's budget (or its router's share) does not run.
 */
export class ShadowScheduler {
  private readonly queue: ShadowJob[] = [];
  private running = 0;
  private readonly budget: ShadowBudget;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly judge: JudgeSettings;
  private readonly optOut: ReadonlySet<string>;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private drainScheduled = false;
  private recheck: ReturnType<typeof setTimeout> | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** When the gateway was last seen busy (epoch ms). */
  private busySince = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ShadowSchedulerOptions) {
    const { shadow } = options;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.budget = new ShadowBudget(
      shadow.budgetUsdPerDay,
      new Map(Object.entries(shadow.routers).map(([id, entry]) => [id, entry.budgetShare])),
      this.now,
    );
    this.judge = {
      model: shadow.judge.model,
      mode: shadow.judge.mode,
      rubric: shadow.judge.rubric ?? (shadow.judge.mode === "pairwise" ? DEFAULT_PAIRWISE_RUBRIC : DEFAULT_ABSOLUTE_RUBRIC),
      maxTokens: shadow.judge.maxTokens,
    };
    this.optOut = new Set(shadow.optOutCallers);
  }

  /** Jobs waiting and running. */
  get pending(): { waiting: number; running: number } {
    return { waiting: this.queue.length, running: this.running };
  }

  /** USD spent (and reserved) on shadow and judge calls today, by one router or in all. */
  spentToday(router?: string): number {
    return this.budget.spentToday(router);
  }

  /** A served request is complete: maybe sample it. Cheap and never throws (the served path calls it). */
  offer(finished: FinishedRequest): void {
    try {
      // A served request ended: queued jobs may start (unless a busy gateway's recheck is already due).
      if (this.queue.length > 0 && this.recheck === undefined) this.scheduleDrain();
      const job = this.sample(finished);
      if (job) for (const one of job) this.enqueue(one);
    } catch {
      // A shadow problem never reaches the client.
    }
  }

  /** Resolves once no job waits or runs (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops the queue, aborts running jobs and waits for them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.recheck) clearTimeout(this.recheck);
    for (const job of this.queue.splice(0)) this.options.observer?.onShadowShed?.(job.router, "shutdown");
    this.abort.abort(new Error("the gateway is shutting down"));
    await Promise.allSettled([...this.inFlight]);
    this.notifyIdle();
  }

  private sample(finished: FinishedRequest): ShadowJob[] | undefined {
    const { record } = finished;
    if (this.closed || record.status !== 200 || record.router === null || record.model === null) return undefined;
    const { shadow } = this.options;
    if (!shadow.enabled) return undefined;
    const entry = Object.hasOwn(shadow.routers, record.router) ? shadow.routers[record.router] : undefined;
    if (!entry || entry.sample <= 0 || this.random() >= entry.sample) return undefined;
    if (optedOut(finished.headers[SHADOW_HEADER]) || (record.callerId !== null && this.optOut.has(record.callerId))) return undefined;
    const router = this.options.routers.get(record.router);
    if (!router || finished.answer === null) return undefined;
    const allowed = entry.targets ? router.targets.filter((id) => entry.targets?.includes(id)) : router.targets;
    const prices = this.options.prices;
    const targets = pickShadowTargets({
      servedModel: record.model,
      choosable: allowed,
      price: (id) => {
        const price = prices.priceOf(id);
        return price ? price.input + price.output : undefined;
      },
      directions: shadow.directions,
    });
    for (const extra of this.options.extraTargets?.(record.model) ?? []) {
      if (allowed.includes(extra.model) && extra.model !== record.model && !targets.some((t) => t.model === extra.model))
        targets.push(extra);
    }
    return targets.map((target) => ({
      router: record.router as string,
      target,
      request: finished.request,
      servedModel: record.model as string,
      servedAnswer: finished.answer as string,
      requestId: record.id,
      local: this.options.localModels?.has(target.model) ?? false,
      servedCompletionTokens: record.completionTokens,
    }));
  }

  private enqueue(job: ShadowJob): void {
    const { shadow, observer } = this.options;
    const busy = this.options.load() >= shadow.busyInFlight;
    if (busy) this.busySince = this.now();
    const full = busy ? "busy" : this.queue.length >= shadow.queueSize ? "queue_full" : undefined;
    if (full) {
      observer?.onShadowShed?.(job.router, full);
      return;
    }
    this.queue.push(job);
    observer?.onShadowQueue?.(this.queue.length, this.running);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.closed) return;
    this.drainScheduled = true;
    // After the served answer has been written: never on the served request's own turn.
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = false;
    const { shadow } = this.options;
    while (!this.closed && this.running < shadow.concurrency && this.queue.length > 0) {
      const load = this.options.load();
      const now = this.now();
      if (load >= shadow.busyInFlight) this.busySince = now;
      // A busy gateway (or one busy less than busyQuietMs ago) holds the queue; a local model's
      // job waits for an idle one (background priority).
      const quiet = now - this.busySince >= shadow.busyQuietMs;
      const index = quiet ? this.queue.findIndex((job) => !job.local || load === 0) : -1;
      if (index < 0) {
        this.recheckLater(quiet ? undefined : shadow.busyQuietMs - (now - this.busySince));
        return;
      }
      const [job] = this.queue.splice(index, 1) as [ShadowJob];
      this.start(job);
    }
    this.notifyIdle();
  }

  private recheckLater(atLeastMs = 0): void {
    if (this.recheck) return;
    this.recheck = setTimeout(
      () => {
        this.recheck = undefined;
        this.drain();
      },
      Math.max(this.options.recheckMs ?? 50, atLeastMs),
    );
    this.recheck.unref?.();
  }

  private start(job: ShadowJob): void {
    const day = this.budget.currentDay();
    // Estimated here, not when offered: a shed job costs the served path nothing.
    const estimateUsd = this.estimate(job.request, job.target.model, job.servedCompletionTokens, job.servedAnswer);
    if (!this.budget.reserve(job.router, estimateUsd)) {
      this.options.observer?.onShadowJob?.(job.router, "over_budget");
      return;
    }
    this.running += 1;
    let spent = 0;
    const done = this.execute(job, (usd) => {
      spent += usd;
    })
      .then(({ outcome, result }) => {
        if (result) this.options.sink(result);
        this.options.observer?.onShadowJob?.(job.router, outcome, result);
      })
      .catch(() => {
        this.options.observer?.onShadowJob?.(job.router, "failed");
      })
      .finally(() => {
        this.budget.settle(job.router, estimateUsd, spent, day);
        this.running -= 1;
        this.inFlight.delete(done);
        this.options.observer?.onShadowQueue?.(this.queue.length, this.running);
        // The next queued job may start (unless a busy gateway's recheck is already due).
        if (this.queue.length > 0 && this.recheck === undefined) this.scheduleDrain();
        else this.notifyIdle();
      });
    this.inFlight.add(done);
  }

  private async execute(job: ShadowJob, charge: (usd: number) => void): Promise<{ outcome: ShadowJobOutcome; result?: ShadowRecord }> {
    const signal = this.abort.signal;
    let promptTokens = 0;
    let completionTokens = 0;
    const run = async (request: ChatRequest): Promise<ShadowCallResult> => {
      const answer = await this.options.call(request, signal);
      charge(answer.costUsd);
      promptTokens += answer.promptTokens;
      completionTokens += answer.completionTokens;
      return answer;
    };
    const result = (fields: Partial<ShadowRecord>): ShadowRecord => ({
      id: `sh_${randomUUID().replaceAll("-", "")}`,
      requestId: job.requestId,
      router: job.router,
      servedModel: job.servedModel,
      shadowModel: job.target.model,
      direction: job.target.direction,
      judgeKind: requestJsonSchema(job.request) ? "json_schema" : this.judge.mode,
      judgeModel: null,
      verdict: null,
      score: null,
      servedScore: null,
      unparseable: false,
      shadowAnswer: null,
      error: null,
      shadowCostUsd: 0,
      judgeCostUsd: 0,
      promptTokens,
      completionTokens,
      time: this.now(),
      ...fields,
    });
    let shadowAnswer: ShadowCallResult;
    try {
      shadowAnswer = await run(shadowRequest(job.request, job.target.model));
    } catch (error) {
      if (signal.aborted) return { outcome: "aborted" };
      return { outcome: "failed", result: result({ error: `shadow call to ${job.target.model} failed: ${messageOf(error)}` }) };
    }
    const judgment = await judgeAnswers(
      { request: job.request, served: job.servedAnswer, shadow: shadowAnswer.text },
      this.judge,
      (request) => run(request),
    );
    if (signal.aborted && judgment.verdict === "failed") return { outcome: "aborted" };
    const failure = judgment.calls.find((c) => c.error !== undefined)?.error;
    return {
      outcome: judgment.verdict === "failed" ? "failed" : judgment.verdict === "unparseable" ? "unparseable" : "judged",
      result: result({
        judgeKind: judgment.method,
        judgeModel: judgment.judgeModel,
        verdict: rawVerdict(judgment),
        score: judgment.score,
        servedScore: judgment.servedScore,
        unparseable: judgment.verdict === "unparseable",
        shadowAnswer: this.options.logContent ? shadowAnswer.text : null,
        error: judgment.verdict === "failed" ? `judge ${this.judge.model} failed: ${failure ?? "unknown error"}` : null,
        shadowCostUsd: shadowAnswer.costUsd,
        judgeCostUsd: judgment.costUsd,
        promptTokens,
        completionTokens,
      }),
    };
  }

  /** What a job may cost: the shadow call like the served one, and the judge calls reading both answers. */
  private estimate(request: ChatRequest, model: string, servedCompletionTokens: number, servedAnswer: string): number {
    const prices = this.options.prices;
    const prompt = estimatePromptTokens(request);
    const completion = Math.max(servedCompletionTokens, estimateTokens(servedAnswer));
    let usd = prices.costOf(model, { prompt_tokens: prompt, completion_tokens: completion });
    if (!requestJsonSchema(request)) {
      const calls = this.judge.mode === "pairwise" ? 2 : 1;
      const judgePrompt = prompt + 2 * completion + 150;
      usd += calls * prices.costOf(this.judge.model, { prompt_tokens: judgePrompt, completion_tokens: this.judge.maxTokens });
    }
    return usd;
  }

  private notifyIdle(): void {
    if (this.queue.length > 0 || this.running > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function optedOut(value: string | string[] | undefined): boolean {
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && text.trim().toLowerCase() === "off";
}

/** The served request sent to another model: same messages and parameters, as JSON (not a stream), one choice (the one judged). */
function shadowRequest(request: ChatRequest, model: string): ChatRequest {
  const { stream: _stream, stream_options: _options, n: _n, ...rest } = request;
  return { ...rest, model };
}

/** The judge's replies verbatim, one line per call (pairwise: labelled with the order). */
function rawVerdict(judgment: Judgment): string | null {
  // The deterministic check: its outcome and why an answer is invalid.
  if (judgment.calls.length === 0) return judgment.detail ? `${judgment.verdict}: ${judgment.detail}` : judgment.verdict;
  return judgment.calls.map((c) => `${c.order ? `${c.order}: ` : ""}${c.raw ?? `(failed: ${c.error ?? "unknown"})`}`).join("\n");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
