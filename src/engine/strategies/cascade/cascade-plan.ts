import type { ChatRequest } from "../../../core/chat-request.js";
import type { LanguageModel } from "../../../core/language-model.js";
import type { CascadeRouter } from "./cascade-router.js";
import { buildQualityGate } from "./gates/build-quality-gate.js";
import type { QualityGate } from "./gates/quality-gate.js";

/** What a cascade run needs: its tiers as models, the gate, and the fallbacks of the last tier. */
export interface CascadePlan {
  router: CascadeRouter;
  tiers: LanguageModel[];
  gate: QualityGate;
  /** The router's fallbacks that are not tiers: tried when the last tier fails. */
  fallbacks: LanguageModel[];
}

const gates = new WeakMap<CascadeRouter, QualityGate>();

export function cascadePlan(
  router: CascadeRouter,
  models: ReadonlyMap<string, LanguageModel>,
  fallbackIds: readonly string[],
): CascadePlan {
  let gate = gates.get(router);
  if (!gate) {
    gate = buildQualityGate(router.settings.gate);
    gates.set(router, gate);
  }
  const tiers = router.tiers.flatMap((id) => models.get(id) ?? []);
  const fallbacks = fallbackIds.filter((id) => !router.tiers.includes(id)).flatMap((id) => models.get(id) ?? []);
  return { router, tiers, gate, fallbacks };
}

/** The tier's request: token logprobs asked for when the gate reads them (not on the last tier). */
export function tierRequest(request: ChatRequest, plan: CascadePlan, last: boolean): ChatRequest {
  if (last || !plan.gate.needsLogprobs || request.logprobs === true) return request;
  return { ...request, logprobs: true };
}
