import type { RightsizeConfig } from "../config/config-schema.js";
import type { ChatRequest } from "../core/chat-request.js";
import { estimatePromptTokens } from "../pricing/estimate-tokens.js";
import type { PriceTable } from "../pricing/price-table.js";

/** When neither the request nor the model sets an output cap. */
const FALLBACK_MAX_OUTPUT = 4_096;

export interface CallEstimate {
  /** Prompt tokens (estimated) plus the output cap: what a tokens-per-minute limit reserves, as OpenAI counts it. */
  tokens: number;
  /** The cost of those tokens on the most expensive model the request may reach. */
  costUsd: number;
}

/**
 * What a request may cost before it runs, to reserve against limits and budgets: its prompt
 * (estimated from the text) and its output cap (max_completion_tokens, max_tokens, else the
 * model's defaultMaxTokens), priced on the dearest model it may reach (a router's targets and
 * fallbacks; every model when the router lists none). Settled afterwards with the real figures.
 */
export function estimateCall(config: RightsizeConfig, prices: PriceTable, request: ChatRequest): CallEstimate {
  const prompt = estimatePromptTokens(request);
  const router = config.routers.find((r) => r.id === request.model);
  const reachable = router
    ? [...router.targets, ...router.fallbacks].length > 0
      ? [...router.targets, ...router.fallbacks]
      : config.models.map((m) => m.id)
    : [request.model];
  const asked = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  let tokens = prompt;
  let costUsd = 0;
  for (const id of reachable) {
    const model = config.models.find((m) => m.id === id);
    const output = asked ?? model?.defaultMaxTokens ?? FALLBACK_MAX_OUTPUT;
    tokens = Math.max(tokens, prompt + output);
    costUsd = Math.max(costUsd, prices.costOf(id, { promptTokens: prompt, completionTokens: output }));
  }
  return { tokens, costUsd };
}
