import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { EngineObserver } from "../engine/engine-observer.js";
import type { AttemptRecord, RequestLogRecord } from "../storage/request-log-store.js";

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Prometheus metrics of the gateway, fed by the engine's observer hooks. */
export class GatewayMetrics implements EngineObserver {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: "rightsize_requests_total",
    help: "Requests answered, rejected ones included, by router, serving model, status, error code and streaming.",
    labelNames: ["router", "model", "status", "code", "stream"] as const,
    registers: [this.registry],
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
  private readonly tokens = new Counter({
    name: "rightsize_tokens_total",
    help: "Tokens by model and kind (prompt, completion), over every attempt.",
    labelNames: ["model", "kind"] as const,
    registers: [this.registry],
  });
  private readonly cost = new Counter({
    name: "rightsize_cost_usd_total",
    help: "Cost in USD by model, over every attempt.",
    labelNames: ["model"] as const,
    registers: [this.registry],
  });
  private readonly attempts = new Counter({
    name: "rightsize_attempts_total",
    help: "Upstream attempts by model, step (route, retry, fallback, continuation, …) and outcome.",
    labelNames: ["model", "step", "outcome"] as const,
    registers: [this.registry],
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
    this.attempts.inc({ model: attempt.model, step: attempt.step, outcome: attempt.outcome });
    if (attempt.usage) {
      this.tokens.inc({ model: attempt.model, kind: "prompt" }, attempt.usage.prompt_tokens);
      this.tokens.inc({ model: attempt.model, kind: "completion" }, attempt.usage.completion_tokens);
    }
    if (attempt.costUsd) this.cost.inc({ model: attempt.model }, attempt.costUsd);
  }

  onRequestEnd(record: RequestLogRecord): void {
    const router = record.router ?? "";
    const model = record.model ?? "";
    const stream = record.stream ? "true" : "false";
    this.requests.inc({ router, model, status: String(record.status), code: record.errorCode ?? "", stream });
    this.latency.observe({ router, model, stream }, record.latencyMs / 1000);
    if (record.ttftMs !== null) this.ttft.observe({ router, model }, record.ttftMs / 1000);
    const routed = record.attempts[0]?.model;
    // A cascade that escalated to a later tier is not a fallback.
    const escalated = record.attempts.some((a) => a.model === record.model && a.step === "cascade");
    if (record.model && routed && routed !== record.model && !escalated) this.fallbacks.inc({ router, model });
  }

  /** A request the HTTP layer answered without the engine (400, 401, 408, 413, 415, 431, …): counted, not timed. */
  onRejected(record: RequestLogRecord): void {
    const stream = record.stream ? "true" : "false";
    this.requests.inc({ router: "", model: "", status: String(record.status), code: record.errorCode ?? "", stream });
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
