import type { RightsizeConfig } from "../../config/config-schema.js";
import type { LanguageModel } from "../../core/language-model.js";
import type { PriceTable } from "../../pricing/price-table.js";
import { NoopRequestLogStore } from "../../storage/noop-request-log-store.js";
import { ChatEngine } from "../chat-engine.js";
import type { EngineObserver } from "../engine-observer.js";
import type { ShadowCall } from "./shadow-call.js";

let sequence = 0;

/**
 * Shadow and judge calls run through an engine of their own over the same models: retries,
 * circuit breakers and deadlines (`shadow.deadlineMs` per call) as for served requests, but
 * no router (the call names its model), no fallback to another model, no request-log row and
 * no served-request metric — the call is marked as shadow (`x-rightsize-shadow: call`) and its
 * cost is the shadow's own. Its breakers are its own too: a failing shadow call never changes
 * how served requests are routed.
 */
export function createShadowCall(input: {
  config: RightsizeConfig;
  models: ReadonlyMap<string, LanguageModel>;
  prices: PriceTable;
  observer?: EngineObserver;
}): ShadowCall {
  const { config } = input;
  const deadlineMs = config.shadow?.deadlineMs ?? config.server.timeouts.requestMs;
  const engine = new ChatEngine({
    config: {
      ...config,
      routers: [],
      server: { ...config.server, timeouts: { ...config.server.timeouts, requestMs: deadlineMs } },
    },
    models: input.models,
    routers: new Map(),
    store: new NoopRequestLogStore(),
    prices: input.prices,
    ...(input.observer ? { observer: input.observer } : {}),
  });
  const headers = { "x-rightsize-shadow": "call" };
  return async (request, signal) => {
    const done = await engine.complete(request, { requestId: `shadow-${++sequence}`, headers, signal });
    const choice = done.result.choices[0];
    const content = choice?.message.content ?? "";
    const text = choice?.message.tool_calls ? `${content}${content ? "\n" : ""}${JSON.stringify(choice.message.tool_calls)}` : content;
    const usage = done.attempts.reduce(
      (sum, a) => ({ prompt: sum.prompt + (a.usage?.prompt_tokens ?? 0), completion: sum.completion + (a.usage?.completion_tokens ?? 0) }),
      { prompt: 0, completion: 0 },
    );
    return { text, costUsd: done.costUsd, promptTokens: usage.prompt, completionTokens: usage.completion };
  };
}
