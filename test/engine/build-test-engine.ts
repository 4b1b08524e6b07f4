import type { RightsizeConfigInput } from "../../src/config/config-schema.js";
import { parseConfig } from "../../src/config/load-config.js";
import type { LanguageModel } from "../../src/core/language-model.js";
import { ChatEngine } from "../../src/engine/chat-engine.js";
import type { EngineCallContext } from "../../src/engine/engine-dependencies.js";
import { PriceTable } from "../../src/pricing/price-table.js";
import { createRouter } from "../../src/engine/strategies/create-router.js";
import type { Router } from "../../src/routing/router.js";
import { MemoryRequestLogStore } from "../../src/storage/memory-request-log-store.js";

export interface TestEngine {
  engine: ChatEngine;
  store: MemoryRequestLogStore;
  routers: Map<string, Router>;
}

/**
 * A real ChatEngine over fake models: the config names the models (openai-compatible entries
 * pointing nowhere, for prices, tiers and context windows) and `models` supplies their fakes.
 */
export async function buildTestEngine(input: RightsizeConfigInput, models: LanguageModel[]): Promise<TestEngine> {
  const config = parseConfig(input, { env: {} });
  const routers = new Map<string, Router>();
  for (const r of config.routers) routers.set(r.id, await createRouter(r, { models: config.models, configDir: process.cwd() }));
  const store = new MemoryRequestLogStore();
  const engine = new ChatEngine({
    config,
    models: new Map(models.map((m) => [m.id, m])),
    routers,
    store,
    prices: new PriceTable(config.models),
  });
  return { engine, store, routers };
}

/** A model entry for the config (the fake supplies the behaviour). */
export function fakeModelConfig(id: string, input: number, output: number, extra: { tier?: string; contextWindow?: number } = {}) {
  return {
    id,
    provider: "openai-compatible" as const,
    model: `${id}-upstream`,
    baseUrl: "http://127.0.0.1:9/v1",
    price: { input, output },
    ...extra,
  };
}

let seq = 0;
export function callContext(headers: Record<string, string> = {}): EngineCallContext {
  return { requestId: `req_test_${++seq}`, headers, signal: new AbortController().signal };
}
