import type { RightsizeConfig } from "../config/config-schema.js";
import type { LanguageModel } from "../core/language-model.js";
import type { PriceTable } from "../pricing/price-table.js";
import type { Router } from "../routing/router.js";
import type { RequestLogStore } from "../storage/request-log-store.js";
import type { ModelBreaker } from "./circuit-breaker.js";
import type { EngineObserver } from "./engine-observer.js";

export interface EngineDependencies {
  config: RightsizeConfig;
  models: ReadonlyMap<string, LanguageModel>;
  routers: ReadonlyMap<string, Router>;
  store: RequestLogStore;
  prices: PriceTable;
  observer?: EngineObserver;
  /** A model's circuit breaker (default: one in this process); the gateway passes breakers shared through Redis. */
  createBreaker?: (modelId: string) => ModelBreaker;
}

/** Per call: who asks, how to reach them, when they leave. */
export interface EngineCallContext {
  requestId: string;
  /** Lower-cased request headers. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  callerId?: string;
  /** The client's episode id and tags, stored with the request's log row. */
  episodeId?: string;
  tags?: string[];
  /** Aborts when the client disconnects. */
  signal: AbortSignal;
  /**
   * The controller behind `signal`, when the caller owns one (the HTTP route): the engine then
   * aborts it itself at the request deadline instead of deriving another signal.
   */
  controller?: AbortController;
}
