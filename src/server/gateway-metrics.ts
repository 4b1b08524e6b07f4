import { Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { EngineObserver } from "../engine/engine-observer.js";
import type { SharedStateStatus } from "../state/shared-state-status.js";
import type { AttemptRecord, RequestLogRecord } from "../storage/request-log-store.js";
import { SummedCounter } from "./summed-counter.js";

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Prometheus metrics of the gateway, fed by the engine's observer hooks. */
export class GatewayMetrics implements EngineObserver {
  readonly registry = new Registry();
  private readonly requests = new SummedCounter({
    name: "rightsize_requests_total",
    help: "Requests answered, rejected ones included, by router, serving model, status, error code and streaming.",
    labelNames: ["router", "model", "status", "code", "stream"],
    registry: this.registry,
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
  private readonly tokens = new SummedCounter({
    name: "rightsize_tokens_total",
    help: "Tokens by model and kind (prompt, completion), over every attempt.",
    labelNames: ["model", "kind"],
    registry: this.registry,
  });
  private readonly cost = new SummedCounter({
    name: "rightsize_cost_usd_total",
    help: "Cost in USD by model, over every attempt.",
    labelNames: ["model"],
    registry: this.registry,
  });
  private readonly attempts = new SummedCounter({
    name: "rightsize_attempts_total",
    help: "Upstream attempts by model, step (route, retry, fallback, continuation, …) and outcome.",
    labelNames: ["model", "step", "outcome"],
    registry: this.registry,
  });
  private readonly fallbacks = new SummedCounter({
    name: "rightsize_fallbacks_total",
    help: "Requests served by a model other than the routed one (fallback or stream continuation).",
    labelNames: ["router", "model"],
    registry: this.registry,
  });

  private readonly keyRequests = new SummedCounter({
    name: "rightsize_key_requests_total",
    help: "Requests by client key (config key id or virtual key id) and status, rejected ones included.",
    labelNames: ["key", "status", "code"],
    registry: this.registry,
  });
  private readonly keyTokens = new SummedCounter({
    name: "rightsize_key_tokens_total",
    help: "Tokens (prompt + completion) by client key.",
    labelNames: ["key"],
    registry: this.registry,
  });
  private readonly keyCost = new SummedCounter({
    name: "rightsize_key_cost_usd_total",
    help: "Cost in USD by client key, over every attempt.",
    labelNames: ["key"],
    registry: this.registry,
  });
  private readonly limitRejections = new SummedCounter({
    name: "rightsize_limit_rejections_total",
    help: "Requests refused by a key's limit (requests, tokens, budget; unavailable: failing closed while the shared state is away).",
    labelNames: ["key", "limit"],
    registry: this.registry,
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "rightsize_process_" });
  }

  onAttempt(attempt: AttemptRecord): void {
    this.attempts.inc([attempt.model, attempt.step, attempt.outcome]);
    if (attempt.usage) {
      this.tokens.inc([attempt.model, "prompt"], attempt.usage.prompt_tokens);
      this.tokens.inc([attempt.model, "completion"], attempt.usage.completion_tokens);
    }
    if (attempt.costUsd) this.cost.inc([attempt.model], attempt.costUsd);
  }

  onRequestEnd(record: RequestLogRecord): void {
    const router = record.router ?? "";
    const model = record.model ?? "";
    const stream = record.stream ? "true" : "false";
    this.requests.inc([router, model, String(record.status), record.errorCode ?? "", stream]);
    this.latency.observe({ router, model, stream }, record.latencyMs / 1000);
    if (record.ttftMs !== null) this.ttft.observe({ router, model }, record.ttftMs / 1000);
    const routed = record.attempts[0]?.model;
    // A cascade that escalated to a later tier is not a fallback.
    const escalated = record.attempts.some((a) => a.model === record.model && a.step === "cascade");
    if (record.model && routed && routed !== record.model && !escalated) this.fallbacks.inc([router, model]);
    this.countKey(record);
  }

  /** A request a key's limit refused. */
  onLimitRejected(key: string, limit: string): void {
    this.limitRejections.inc([key, limit]);
  }

  /** Exports the shared state's status (connected or degraded, reconnects, settlements waiting) at each scrape. */
  watchSharedState(status: () => SharedStateStatus): void {
    new Gauge({
      name: "rightsize_shared_state_connected",
      help: "1 while the shared state (Redis) is reachable; 0 while degraded to this gateway's local state.",
      labelNames: ["kind"] as const,
      registers: [this.registry],
      collect() {
        const now = status();
        this.set({ kind: now.kind }, now.state === "connected" ? 1 : 0);
      },
    });
    new Gauge({
      name: "rightsize_shared_state_reconnects",
      help: "Times the shared state's connection came back after being lost.",
      registers: [this.registry],
      collect() {
        this.set(status().reconnects);
      },
    });
    new Gauge({
      name: "rightsize_shared_state_pending_settlements",
      help: "Limit settlements made while the shared state was unreachable, waiting to be applied.",
      registers: [this.registry],
      collect() {
        this.set(status().pendingSettlements);
      },
    });
  }

  /** Exports the PostgreSQL request log's spool and connection at each scrape. */
  watchRequestLog(status: () => { postgres: "up" | "down"; queued: number; spoolBytes: number; spoolRecords: number }): void {
    new Gauge({
      name: "rightsize_request_log_up",
      help: "1 while the PostgreSQL request log accepts writes; 0 while rows go to the spool.",
      registers: [this.registry],
      collect() {
        this.set(status().postgres === "up" ? 1 : 0);
      },
    });
    new Gauge({
      name: "rightsize_request_log_spool_bytes",
      help: "Size of the local spool holding rows PostgreSQL has not taken yet.",
      registers: [this.registry],
      collect() {
        this.set(status().spoolBytes);
      },
    });
    new Gauge({
      name: "rightsize_request_log_spool_rows",
      help: "Rows in the local spool.",
      registers: [this.registry],
      collect() {
        this.set(status().spoolRecords);
      },
    });
    new Gauge({
      name: "rightsize_request_log_queued_rows",
      help: "Rows only in memory, waiting for their batch.",
      registers: [this.registry],
      collect() {
        this.set(status().queued);
      },
    });
  }

  /** Exports the router artifact version each router serves (`rightsize_router_version_info{router,version} 1`). */
  watchRouterVersions(versions: () => ReadonlyMap<string, string | null>): void {
    new Gauge({
      name: "rightsize_router_version_info",
      help: "The router artifact version this gateway serves (shared by every gateway through the state).",
      labelNames: ["router", "version"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [router, version] of versions()) this.set({ router, version: version ?? "" }, 1);
      },
    });
  }

  private countKey(record: RequestLogRecord): void {
    if (record.callerId === null) return;
    const key = record.callerId;
    this.keyRequests.inc([key, String(record.status), record.errorCode ?? ""]);
    const tokens = record.promptTokens + record.completionTokens;
    if (tokens > 0) this.keyTokens.inc([key], tokens);
    if (record.costUsd > 0) this.keyCost.inc([key], record.costUsd);
  }

  /** A request the HTTP layer answered without the engine (400, 401, 408, 413, 415, 431, …): counted, not timed. */
  onRejected(record: RequestLogRecord): void {
    const stream = record.stream ? "true" : "false";
    this.requests.inc(["", "", String(record.status), record.errorCode ?? "", stream]);
    this.countKey(record);
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
