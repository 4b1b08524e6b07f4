import { Counter, Gauge, type Registry } from "prom-client";
import type { ShadowJobOutcome, ShadowObserver, ShadowShedReason } from "../engine/shadow/shadow-observer.js";
import type { ShadowRecord } from "../storage/shadow-record.js";

/** Prometheus metrics of shadow evaluation: its own jobs, spend and shed count, apart from served requests. */
export class ShadowMetrics implements ShadowObserver {
  private readonly jobs: Counter<"router" | "outcome">;
  private readonly shed: Counter<"router" | "reason">;
  private readonly cost: Counter<"router" | "kind">;
  private readonly waiting: Gauge;
  private readonly running: Gauge;

  constructor(registry: Registry) {
    this.jobs = new Counter({
      name: "rightsize_shadow_jobs_total",
      help: "Shadow jobs by router and outcome (judged, unparseable, failed, over_budget, aborted, shed).",
      labelNames: ["router", "outcome"] as const,
      registers: [registry],
    });
    this.shed = new Counter({
      name: "rightsize_shadow_shed_total",
      help: "Shadow jobs dropped before they ran, by router and reason (queue_full, busy, shutdown).",
      labelNames: ["router", "reason"] as const,
      registers: [registry],
    });
    this.cost = new Counter({
      name: "rightsize_shadow_cost_usd_total",
      help: "USD spent on shadow evaluation by router and kind (shadow: the other model's answer, judge: the judge calls); not in rightsize_cost_usd_total.",
      labelNames: ["router", "kind"] as const,
      registers: [registry],
    });
    this.waiting = new Gauge({ name: "rightsize_shadow_queue_jobs", help: "Shadow jobs waiting to run.", registers: [registry] });
    this.running = new Gauge({ name: "rightsize_shadow_running_jobs", help: "Shadow jobs running.", registers: [registry] });
  }

  onShadowJob(router: string, outcome: ShadowJobOutcome, result?: ShadowRecord): void {
    this.jobs.inc({ router, outcome });
    if (result?.shadowCostUsd) this.cost.inc({ router, kind: "shadow" }, result.shadowCostUsd);
    if (result?.judgeCostUsd) this.cost.inc({ router, kind: "judge" }, result.judgeCostUsd);
  }

  onShadowShed(router: string, reason: ShadowShedReason): void {
    this.jobs.inc({ router, outcome: "shed" });
    this.shed.inc({ router, reason });
  }

  onShadowQueue(waiting: number, running: number): void {
    this.waiting.set(waiting);
    this.running.set(running);
  }
}
