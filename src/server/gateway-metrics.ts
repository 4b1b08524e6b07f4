import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { EngineObserver } from "../engine/engine-observer.js";
import type { AttemptRecord, RequestLogRecord } from "../storage/request-log-store.js";

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * A counter's increments summed on the hot path by label values (one string key, one Map
 * lookup) and handed to prom-client when /metrics is scraped: the same output, without
 * prom-client's label hashing per request.
 */
class PendingCounts<L extends string> {
  private readonly pending = new Map<string, { labels: Record<L, string>; value: number }>();

  add(key: string, labels: () => Record<L, string>, value = 1): void {
    const entry = this.pending.get(key);
    if (entry) entry.value += value;
    else this.pending.set(key, { labels: labels(), value });
  }

  flushInto(counter: Counter<L>): void {
    for (const entry of this.pending.values()) {
      if (entry.value !== 0) counter.inc(entry.labels, entry.value);
      entry.value = 0;
    }
  }
}

/** Prometheus metrics of the gateway, fed by the engine's observer hooks. */
export class GatewayMetrics implements EngineObserver {
  private readonly pendingRequests = new PendingCounts<"router" | "model" | "status" | "code" | "stream">();
  private readonly pendingAttempts = new PendingCounts<"model" | "step" | "outcome">();
  private readonly pendingTokens = new PendingCounts<"model" | "kind">();
  private readonly pendingCost = new PendingCounts<"model">();
  readonly registry = new Registry();
  private readonly requests: Counter<"router" | "model" | "status" | "code" | "stream"> = new Counter({
    name: "rightsize_requests_total",
    help: "Requests answered, rejected ones included, by router, serving model, status, error code and streaming.",
    labelNames: ["router", "model", "status", "code", "stream"] as const,
    registers: [this.registry],
    collect: (): void => this.pendingRequests.flushInto(this.requests),
  });
  private readonly latency = new Histogram({
    name: "rightsize_request_duration_seconds",
    help: "Total request latency.",
    labelNames: ["router", "model", "stream"] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  private readonly ttft = new Histogram({
    name: "rightsize_time_to_first_token_seconds",
    help: "Time to first token of streamed answers.",
    labelNames: ["router", "model"] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  private readonly tokens: Counter<"model" | "kind"> = new Counter({
    name: "rightsize_tokens_total",
    help: "Tokens by model and kind (prompt, completion), over every attempt.",
    labelNames: ["model", "kind"] as const,
    registers: [this.registry],
    collect: (): void => this.pendingTokens.flushInto(this.tokens),
  });
  private readonly cost: Counter<"model"> = new Counter({
    name: "rightsize_cost_usd_total",
    help: "Cost in USD by model, over every attempt.",
    labelNames: ["model"] as const,
    registers: [this.registry],
    collect: (): void => this.pendingCost.flushInto(this.cost),
  });
  private readonly attempts: Counter<"model" | "step" | "outcome"> = new Counter({
    name: "rightsize_attempts_total",
    help: "Upstream attempts by model, step (route, retry, fallback, continuation, …) and outcome.",
    labelNames: ["model", "step", "outcome"] as const,
    registers: [this.registry],
    collect: (): void => this.pendingAttempts.flushInto(this.attempts),
  });
  private readonly fallbacks = new Counter({
    name: "rightsize_fallbacks_total",
    help: "Requests served by a model other than the routed one (fallback or stream continuation).",
    labelNames: ["router", "model"] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "rightsize_process_" });
  }

  onAttempt(attempt: AttemptRecord): void {
    const { model, step, outcome } = attempt;
    this.pendingAttempts.add(`${model}\u0000${step}\u0000${outcome}`, () => ({ model, step, outcome }));
    if (attempt.usage) {
      this.pendingTokens.add(`${model}\u0000prompt`, () => ({ model, kind: "prompt" }), attempt.usage.prompt_tokens);
      this.pendingTokens.add(`${model}\u0000completion`, () => ({ model, kind: "completion" }), attempt.usage.completion_tokens);
    }
    if (attempt.costUsd) this.pendingCost.add(model, () => ({ model }), attempt.costUsd);
  }

  onRequestEnd(record: RequestLogRecord): void {
    const router = record.router ?? "";
    const model = record.model ?? "";
    const stream = record.stream ? "true" : "false";
    this.countRequest(router, model, record.status, record.errorCode ?? "", stream);
    this.latency.observe({ router, model, stream }, record.latencyMs / 1000);
    if (record.ttftMs !== null) this.ttft.observe({ router, model }, record.ttftMs / 1000);
    const routed = record.attempts[0]?.model;
    // A cascade that escalated to a later tier is not a fallback.
    const escalated = record.attempts.some((a) => a.model === record.model && a.step === "cascade");
    if (record.model && routed && routed !== record.model && !escalated) this.fallbacks.inc({ router, model });
  }

  /** A request the HTTP layer answered without the engine (400, 401, 408, 413, 415, 431, …): counted, not timed. */
  onRejected(record: RequestLogRecord): void {
    this.countRequest("", "", record.status, record.errorCode ?? "", record.stream ? "true" : "false");
  }

  private countRequest(router: string, model: string, status: number, code: string, stream: string): void {
    this.pendingRequests.add(`${router}\u0000${model}\u0000${status}\u0000${code}\u0000${stream}`, () => ({
      router,
      model,
      status: String(status),
      code,
      stream,
    }));
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
