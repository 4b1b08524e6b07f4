import path from "node:path";
import type { ModelConfig, RightsizeConfig } from "../config/config-schema.js";
import type { LanguageModel } from "../core/language-model.js";
import { ChatEngine } from "../engine/chat-engine.js";
import { createShadowCall } from "../engine/shadow/create-shadow-call.js";
import { ShadowScheduler } from "../engine/shadow/shadow-scheduler.js";
import { PriceTable } from "../pricing/price-table.js";
import { createSharedState } from "../state/create-shared-state.js";
import type { SharedState } from "../state/shared-state.js";
import type { SharedStateStatus } from "../state/shared-state-status.js";
import { createKeyStore } from "../storage/keys/create-key-store.js";
import type { KeyStore } from "../storage/keys/key-store.js";
import { MemoryKeyStore } from "../storage/keys/memory-key-store.js";
import { createLanguageModel } from "../providers/provider-registry.js";
import { assertLoraAdapterFiles } from "../providers/llama-cpp/lora-adapters.js";
import type { Router } from "../routing/router.js";
import { collectConfigSecrets } from "../storage/collect-config-secrets.js";
import { createRequestLogStore } from "../storage/create-request-log-store.js";
import type { RequestLogStore } from "../storage/request-log-store.js";
import { buildRouters, type ConfigSource } from "./build-routers.js";
import { ConfigError } from "../config/config-error.js";
import type { ShadowRecord } from "../storage/shadow-record.js";
import { CanaryMonitor, type CanaryStatus, registerCanaryMetrics } from "./canary/canary-monitor.js";
import { CanaryRouter } from "./canary/canary-router.js";
import { AutoRecalibration } from "./drift/auto-recalibration.js";
import { DriftMonitor } from "./drift/drift-monitor.js";
import { providerEmbeddingModels } from "./provider-embedding-models.js";
import { GatewayMetrics } from "./gateway-metrics.js";
import { ClientKeys } from "./client-keys.js";
import { hashKeySecret } from "../storage/keys/key-secret.js";
import { InFlightRequests } from "./in-flight-requests.js";
import { KeyQuotas } from "./key-quotas.js";
import { RequestOutcomes } from "./request-outcomes.js";
import { durationMs, type RetrainRun, RetrainSchedule } from "./retrain/retrain-schedule.js";
import { RouterReloadMetrics } from "./router-reload-metrics.js";
import { type RouterReload, RouterReloader } from "./router-reloader.js";
import { ShadowMetrics } from "./shadow-metrics.js";
import { RouterVersions } from "./router-versions.js";
import { SharedModelBreaker } from "./shared-model-breaker.js";
import { withDefaultMaxTokens } from "./with-default-max-tokens.js";

/** Everything the HTTP layer needs, built from a validated config. */
export interface Gateway {
  config: RightsizeConfig;
  engine: ChatEngine;
  models: ReadonlyMap<string, LanguageModel>;
  routers: ReadonlyMap<string, Router>;
  store: RequestLogStore;
  metrics: GatewayMetrics;
  prices: PriceTable;
  /** Where each request's log row and metric go (the engine's and the HTTP layer's). */
  outcomes: RequestOutcomes;
  /** Requests being answered, for a bounded graceful shutdown. */
  inFlight: InFlightRequests;
  /** Sentences added to error answers by error code. */
  errorHints: Readonly<Record<string, string>>;
  /** Config-file client keys: sha256(key) → caller id. */
  clientKeys: ReadonlyMap<string, string>;
  /** sha256 of each admin key (`server.admin.keys`); empty = the admin endpoints are off. */
  adminKeys: ReadonlySet<string>;
  /** Swaps in new router artifacts while requests are served (admin endpoint, file watch, other gateways). */
  reloader: RouterReloader;
  /** Whether live traffic still looks like what each router was calibrated for. */
  drift: DriftMonitor;
  /** Candidate models on trial (`canaries:` in the config). */
  canaries: readonly CanaryMonitor[];
  /** A feedback or judge score in [0,1] of a logged answer: for the drift watch and the canaries. */
  observeScore(router: string | null, model: string, source: "feedback" | "judge", score: number): void;
  /** Scheduled retrains (`retrain:` in the config), when configured. */
  retrain?: RetrainSchedule;
  /** Shadow evaluation, when `shadow:` is configured. */
  shadow?: ShadowScheduler;
  /** Every key the gateway accepts (config file and key store) and whether auth is required. */
  keys: ClientKeys;
  /** The virtual keys' store (`rightsize keys`). */
  keyStore: KeyStore;
  /** Rate limits and budgets of keys, reserved before the engine call and settled after it. */
  quotas: KeyQuotas;
  /** Breakers, quota counters and router versions: this process, or Redis shared by N gateways. */
  state: SharedState;
  /** The artifact version each router serves (shared state). */
  routerVersions: RouterVersions;
  close(): Promise<void>;
}

export interface BuildGatewayOptions {
  /** Folder relative paths in the config resolve against (default: cwd). */
  configDir?: string;
  /** Use this store instead of the configured one (tests). */
  store?: RequestLogStore;
  onStoreError?: (error: Error) => void;
  /** The config's file and lines, so router settings problems name them. */
  source?: ConfigSource;
  /** A sentence added to error answers with this code (e.g. what to do when a model file cannot be downloaded). */
  errorHints?: Readonly<Record<string, string>>;
  /** Told of every router reload (swapped, unchanged or refused), e.g. to log it. */
  onRouterReload?: (reload: RouterReload) => void;
  /** Told when a canary is promoted or rolled back, e.g. to log it. */
  onCanaryDecision?: (status: CanaryStatus) => void;
  /** Told of every scheduled or admin-asked retrain, e.g. to log it. */
  onRetrain?: (run: RetrainRun) => void;
  /** Use this key store instead of the configured storage's (tests; default with `store`: an empty one in memory). */
  keyStore?: KeyStore;
  /** Use this shared state instead of the configured one (tests). */
  state?: SharedState;
  /** Told of every change of the shared state's status (connected, degraded), for the log. */
  onStateStatus?: (status: SharedStateStatus) => void;
  /** Key-store and limit-settlement failures. */
  onKeysError?: (error: Error) => void;
}

export async function buildGateway(config: RightsizeConfig, options: BuildGatewayOptions = {}): Promise<Gateway> {
  const configDir = options.configDir ?? process.cwd();
  const models = new Map<string, LanguageModel>();
  assertLoraAdapterFiles(config, configDir, options.source);
  for (const modelConfig of config.models) {
    const model = await createLanguageModel(withPathsFrom(configDir, modelConfig));
    models.set(modelConfig.id, withDefaultMaxTokens(model, modelConfig.defaultMaxTokens));
  }
  // Routers that embed prompts use the gateway's own models when the config has the same one.
  const embeddingModels = providerEmbeddingModels(
    config.models.map((m) => withPathsFrom(configDir, m)),
    models,
  );
  const built = await buildRouters(config, { configDir, source: options.source, embeddingModels });
  const secrets = collectConfigSecrets(config);
  const store =
    options.store ?? (await createRequestLogStore(config.storage, { baseDir: configDir, secrets, onError: options.onStoreError }));
  const onKeysError = options.onKeysError ?? (() => undefined);
  const keyStore =
    options.keyStore ??
    (options.store || !config.server.virtualKeys.enabled
      ? new MemoryKeyStore()
      : await createKeyStore(config.storage, { baseDir: configDir }));
  const keys = new ClientKeys(config, keyStore, { cacheMs: config.server.virtualKeys.cacheMs, onError: onKeysError });
  await keys.start();
  const state = options.state ?? (await createSharedState(config.state, config.breaker));
  if (options.onStateStatus) state.onStatus(options.onStateStatus);
  const metrics = new GatewayMetrics();
  metrics.watchSharedState(() => state.status());
  const logStatus = statusOf(store);
  if (logStatus) metrics.watchRequestLog(logStatus);
  const routerVersions = new RouterVersions(
    state.artifacts,
    config.routers.map((r) => r.id),
  );
  await routerVersions.load();
  metrics.watchRouterVersions(() => routerVersions.all());
  const reloadMetrics = new RouterReloadMetrics(metrics.registry);
  const largeModels = new Set(config.models.filter((model) => model.tier === "large").map((model) => model.id));
  const drift = new DriftMonitor(config.drift, (model) => largeModels.has(model), metrics.registry);
  const { reloader, routers: reloadable } = await RouterReloader.wrap(config, built, {
    configDir,
    source: options.source,
    embeddingModels,
    versions: state.artifacts,
    onReload: (reload) => {
      reloadMetrics.record(reload);
      if (reload.outcome === "swapped") {
        drift.restart(reload.router);
        drift.expectLargeShare(reload.router, reloader.list().find((r) => r.id === reload.router)?.expectedLargeShare ?? null);
      }
      options.onRouterReload?.(reload);
    },
  });
  for (const router of reloader.list()) {
    reloadMetrics.serving(router.id, router.version);
    drift.expectLargeShare(router.id, router.expectedLargeShare);
  }
  if (config.server.admin.watchArtifacts) reloader.watchFiles();
  await reloader.followSharedVersions();
  const prices = new PriceTable(config.models);
  const outcomes = new RequestOutcomes(store, metrics);
  const inFlight = new InFlightRequests();
  const recalibration = config.drift.autoRecalibrate ? new AutoRecalibration(drift, reloader) : undefined;
  const canaries = config.canaries.map((canary, i) => {
    for (const field of ["incumbent", "candidate"] as const) {
      if (!config.models.some((model) => model.id === canary[field])) {
        throw new ConfigError(options.source?.file ?? "config", [
          {
            path: `canaries[${i}].${field}`,
            message: `"${canary[field]}" is not a configured model`,
            line: options.source?.lineOf?.(["canaries", i, field]),
          },
        ]);
      }
    }
    const monitor = new CanaryMonitor(canary, options.onCanaryDecision);
    monitor.start(durationMs(canary.checkEvery));
    return monitor;
  });
  registerCanaryMetrics(metrics.registry, canaries);
  const routers = new Map(reloadable);
  for (const canary of canaries) {
    for (const [id, router] of routers) if (router.targets.includes(canary.incumbent)) routers.set(id, new CanaryRouter(router, canary));
  }
  const observeScore = (router: string | null, model: string, source: "feedback" | "judge", score: number) => {
    if (router) drift.observeScore(router, model, source, score);
    for (const canary of canaries) canary.observe(model, score);
  };
  const observeShadow = (record: ShadowRecord) => {
    if (record.servedScore !== null) observeScore(record.router, record.servedModel, "judge", record.servedScore);
    if (record.score !== null) observeScore(record.router, record.shadowModel, "judge", record.score);
    const canaryJob = canaries.some((canary) => canary.candidate === record.shadowModel);
    if (record.router && !canaryJob && record.score !== null && record.servedScore !== null) {
      const small = record.direction === "down" ? record.score : record.servedScore;
      const large = record.direction === "down" ? record.servedScore : record.score;
      drift.observeShadow(record.router, small >= large);
    }
  };
  const shadow = config.shadow
    ? new ShadowScheduler({
        shadow: config.shadow,
        routers,
        prices,
        localModels: new Set(config.models.filter((m) => m.provider === "llama-cpp").map((m) => m.id)),
        call: createShadowCall({ config, models, prices }),
        sink: (record) => {
          outcomes.store.appendShadow(record);
          observeShadow(record);
        },
        load: () => inFlight.size,
        logContent: config.storage.logContent,
        observer: new ShadowMetrics(metrics.registry),
        // A canary's candidate answers in the shadow of its incumbent's requests, for the judge to compare.
        extraTargets: (served) =>
          canaries
            .filter((canary) => canary.incumbent === served && canary.status().state === "running")
            .map((canary) => {
              const price = (id: string) => (prices.priceOf(id)?.input ?? 0) + (prices.priceOf(id)?.output ?? 0);
              return { model: canary.candidate, direction: price(canary.candidate) <= price(served) ? ("down" as const) : ("up" as const) };
            }),
      })
    : undefined;
  const observer = {
    ...outcomes.observer,
    onRequestEnd: (record: Parameters<NonNullable<typeof outcomes.observer.onRequestEnd>>[0]) => {
      outcomes.observer.onRequestEnd?.(record);
      drift.observeRequest(record);
      if (record.router) recalibration?.check(record.router);
    },
    ...(shadow ? { onFinished: shadow.offer.bind(shadow) } : {}),
  };
  const quotas = new KeyQuotas(state.quotas, config.server.virtualKeys, onKeysError);
  outcomes.onEngineRecord((record) => quotas.settle(record));
  // In-process state: the engine's own breakers. Redis: breakers every gateway shares.
  const sharedBreakers = config.state.kind === "redis" || options.state !== undefined;
  const createBreaker = sharedBreakers
    ? (modelId: string) => new SharedModelBreaker(modelId, state.breakers, () => state.status().state === "connected", onKeysError)
    : undefined;
  const engine = new ChatEngine({ config, models, routers, store: outcomes.store, prices, observer, createBreaker });
  const retrain = config.retrain
    ? new RetrainSchedule({
        config,
        configDir,
        store: outcomes.store,
        reloader,
        registry: metrics.registry,
        ...(options.onRetrain ? { onRun: options.onRetrain } : {}),
      })
    : undefined;
  retrain?.start();
  return {
    config,
    engine,
    models,
    routers,
    store,
    metrics,
    prices,
    outcomes,
    inFlight,
    errorHints: options.errorHints ?? {},
    clientKeys: keys.configKeyIds,
    keys,
    keyStore,
    quotas,
    state,
    routerVersions,
    adminKeys: new Set(config.server.admin.keys.map(hashKeySecret)),
    reloader,
    drift,
    canaries,
    observeScore,
    ...(retrain ? { retrain } : {}),
    ...(shadow ? { shadow } : {}),
    async close() {
      reloader.close();
      retrain?.close();
      for (const canary of canaries) canary.close();
      await shadow?.close();
      keys.close();
      routerVersions.close();
      await outcomes.store.close();
      await Promise.all([...models.values()].map((m) => m.close?.()));
      await keyStore.close();
      await state.close();
    },
  };
}

/** A local model's relative file path (and cache folder) is relative to the config file, not the cwd. */
function withPathsFrom(configDir: string, model: ModelConfig): ModelConfig {
  if (model.provider !== "llama-cpp") return model;
  const local = model.model.startsWith("hf:") || path.isAbsolute(model.model) ? model.model : path.resolve(configDir, model.model);
  const cacheDir = model.cacheDir && !path.isAbsolute(model.cacheDir) ? path.resolve(configDir, model.cacheDir) : model.cacheDir;
  const lora = model.lora.map((adapter) => ({ ...adapter, path: path.resolve(configDir, adapter.path) }));
  return { ...model, model: local, cacheDir, lora };
}

/** The PostgreSQL request log's status, when the store has one (spool size, up or down). */
function statusOf(
  store: RequestLogStore,
): (() => { postgres: "up" | "down"; queued: number; spoolBytes: number; spoolRecords: number }) | undefined {
  const candidate = store as Partial<{
    status: () => { postgres: "up" | "down"; queued: number; spoolBytes: number; spoolRecords: number };
  }>;
  return typeof candidate.status === "function" ? () => (candidate.status as NonNullable<typeof candidate.status>).call(store) : undefined;
}
