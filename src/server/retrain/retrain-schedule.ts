import path from "node:path";
import { Counter, Gauge, type Registry } from "prom-client";
import type { RightsizeConfig } from "../../config/config-schema.js";
import { requestLogLocation } from "../../storage/create-request-log-store.js";
import type { RequestLogStore } from "../../storage/request-log-store.js";
import type { RouterReloader } from "../router-reloader.js";
import type { RetrainJob, RetrainJobResult } from "./retrain-job.js";
import { runInRetrainWorker } from "./spawn-retrain-worker.js";

/** One scheduled (or admin-asked) retrain and what came of it. */
export interface RetrainRun {
  router: string;
  trigger: "schedule" | "admin";
  /** promoted: the new router serves; kept: the gate refused it; skipped: too few new labels; busy: one was running; failed: an error. */
  outcome: "promoted" | "kept" | "skipped" | "busy" | "failed";
  newLabels: number;
  detail: string;
  at: string;
  version?: string;
}

interface Entry {
  id: string;
  job: RetrainJob;
  everyMs: number;
  minNewLabels: number;
  lastRunAt: number;
  running: boolean;
  timer?: NodeJS.Timeout;
}

export interface RetrainScheduleOptions {
  config: RightsizeConfig;
  configDir: string;
  store: Pick<RequestLogStore, "feedbackSummary" | "shadowSummary" | "flush">;
  reloader: RouterReloader;
  registry: Registry;
  /** Runs a job (default: in a worker thread). */
  run?: (job: RetrainJob) => Promise<RetrainJobResult>;
  onRun?: (run: RetrainRun) => void;
}

/**
 * `retrain:` in the config: every `every`, when at least `minNewLabels` feedback values and
 * parseable shadow judgments arrived since the last run, the gateway runs `rightsize retrain`
 * for the router in a worker thread (the event loop keeps serving) and swaps in a promoted
 * artifact through the reloader. Runs are counted in `/metrics` and told to `onRun` (the log).
 */
export class RetrainSchedule {
  readonly #entries = new Map<string, Entry>();
  readonly #options: RetrainScheduleOptions;
  readonly #recent: RetrainRun[] = [];
  readonly #runs: Counter<"router" | "outcome">;
  readonly #lastRun: Gauge<"router">;

  constructor(options: RetrainScheduleOptions) {
    this.#options = options;
    const { config, configDir } = options;
    for (const [id, settings] of Object.entries(config.retrain?.routers ?? {})) {
      const router = config.routers.find((r) => r.id === id);
      const artifact = router?.settings.artifact;
      if (typeof artifact !== "string") throw new Error(`retrain.routers.${id}: not a learned router with settings.artifact`);
      if (config.storage.kind === "sqlite" && (config.storage.path === ":memory:" || !config.storage.enabled)) {
        throw new Error(`retrain.routers.${id}: the request log must be on disk (storage.path is ":memory:" or storage is off)`);
      }
      this.#entries.set(id, {
        id,
        everyMs: durationMs(settings.every),
        minNewLabels: settings.minNewLabels,
        lastRunAt: 0,
        running: false,
        job: {
          router: id,
          artifact: path.resolve(configDir, artifact),
          location: requestLogLocation(config.storage, configDir),
          prices: config.models.map((model) => ({ id: model.id, price: { input: model.price.input, output: model.price.output } })),
          margin: settings.margin,
          kind: settings.kind,
          timeLimitS: settings.timeLimitS,
          seed: 1,
          ...(settings.target ? { target: settings.target } : {}),
        },
      });
    }
    this.#runs = new Counter({
      name: "rightsize_retrain_runs_total",
      help: "Scheduled or admin-asked retrains by router and outcome (promoted, kept, skipped, busy, failed).",
      labelNames: ["router", "outcome"] as const,
      registers: [options.registry],
    });
    this.#lastRun = new Gauge({
      name: "rightsize_retrain_last_run_timestamp_seconds",
      help: "When each router's last retrain ran (skipped ones not counted).",
      labelNames: ["router"] as const,
      registers: [options.registry],
    });
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** Starts the timers (they do not keep the process alive). */
  start(): void {
    for (const entry of this.#entries.values()) {
      entry.timer = setInterval(() => void this.runNow(entry.id, "schedule"), entry.everyMs);
      entry.timer.unref();
    }
  }

  /** The last runs, newest first. */
  recent(): RetrainRun[] {
    return [...this.#recent];
  }

  /** Considers a retrain of `id` now; `force` ignores `minNewLabels`. */
  async runNow(id: string, trigger: RetrainRun["trigger"], options: { force?: boolean } = {}): Promise<RetrainRun> {
    const entry = this.#entries.get(id);
    if (!entry) throw new RangeError(`router ${id} has no retrain schedule`);
    const at = new Date().toISOString();
    if (entry.running) return this.#record({ router: id, trigger, outcome: "busy", newLabels: 0, detail: "a retrain is running", at });
    entry.running = true;
    try {
      await this.#options.store.flush();
      const since = { since: entry.lastRunAt };
      const [feedback, shadow] = await Promise.all([this.#options.store.feedbackSummary(since), this.#options.store.shadowSummary(since)]);
      const newLabels = feedback.records + Math.max(0, shadow.judgments - shadow.unparseable - shadow.failed);
      if (!options.force && newLabels < entry.minNewLabels) {
        return this.#record({
          router: id,
          trigger,
          outcome: "skipped",
          newLabels,
          detail: `${newLabels} new labels < minNewLabels ${entry.minNewLabels}`,
          at,
        });
      }
      const startedAt = Date.now();
      const result = await (this.#options.run ?? runInRetrainWorker)(entry.job);
      entry.lastRunAt = startedAt;
      this.#lastRun.set({ router: id }, startedAt / 1000);
      if (!result.ok) return this.#record({ router: id, trigger, outcome: "failed", newLabels, detail: result.error, at });
      if (result.promoted) {
        const reload = await this.#options.reloader.reload(id, "schedule");
        const detail = `${result.reason}; ${result.rows} rows, ${result.holdout} held out; reload ${reload.outcome}`;
        return this.#record({ router: id, trigger, outcome: "promoted", newLabels, detail, at, version: result.version });
      }
      return this.#record({ router: id, trigger, outcome: "kept", newLabels, detail: result.reason, at, version: result.version });
    } catch (error) {
      return this.#record({ router: id, trigger, outcome: "failed", newLabels: 0, detail: (error as Error).message, at });
    } finally {
      entry.running = false;
    }
  }

  close(): void {
    for (const entry of this.#entries.values()) clearInterval(entry.timer);
  }

  #record(run: RetrainRun): RetrainRun {
    this.#runs.inc({ router: run.router, outcome: run.outcome });
    this.#recent.unshift(run);
    this.#recent.length = Math.min(this.#recent.length, 50);
    this.#options.onRun?.(run);
    return run;
  }
}

/** Milliseconds of a duration such as 30s, 15m, 6h or 1d. */
export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration such as 30s, 15m, 6h or 1d`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}
