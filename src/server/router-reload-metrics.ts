import { Counter, Gauge, type Registry } from "prom-client";
import type { RouterReload } from "./router-reloader.js";

/** Prometheus figures of router hot swaps: reloads by outcome and the artifact version serving. */
export class RouterReloadMetrics {
  readonly #reloads: Counter<"router" | "outcome" | "trigger">;
  readonly #serving: Gauge<"router" | "version">;

  constructor(registry: Registry) {
    this.#reloads = new Counter({
      name: "rightsize_router_reloads_total",
      help: "Router artifact reloads by router, outcome (swapped, unchanged, refused) and trigger (admin, file, shared-state, schedule).",
      labelNames: ["router", "outcome", "trigger"] as const,
      registers: [registry],
    });
    this.#serving = new Gauge({
      name: "rightsize_router_artifact_info",
      help: "1 for the artifact version each learned router serves now.",
      labelNames: ["router", "version"] as const,
      registers: [registry],
    });
  }

  serving(router: string, version: string): void {
    this.#serving.set({ router, version }, 1);
  }

  record(reload: RouterReload): void {
    this.#reloads.inc({ router: reload.router, outcome: reload.outcome, trigger: reload.trigger });
    if (reload.outcome === "swapped") {
      this.#serving.remove({ router: reload.router, version: reload.previousVersion });
      this.#serving.set({ router: reload.router, version: reload.version }, 1);
    }
  }
}
