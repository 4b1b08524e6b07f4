import type { ModelConfig } from "../../../config/config-schema.js";
import { parseRouterSettings } from "../../../routing/parse-router-settings.js";
import type { RouterFactory } from "../../../routing/router-factory.js";
import { RouterSettingsError } from "../../../routing/router-settings-error.js";
import type { RouteDecision, Router } from "../../../routing/router.js";
import { cascadeSettingsSchema, type CascadeSettings, type GateSpec } from "./cascade-settings.js";

/** A cascade router: `decide` names the first tier; the engine runs the tiers and their gate. */
export interface CascadeRouter extends Router {
  readonly kind: "cascade";
  /** Model ids, cheapest first. */
  readonly tiers: readonly string[];
  readonly settings: CascadeSettings;
}

export function isCascadeRouter(router: Router | null | undefined): router is CascadeRouter {
  return router?.kind === "cascade" && Array.isArray((router as Partial<CascadeRouter>).tiers);
}

/** Tries the cheapest tier first and escalates when the quality gate says no. */
export const createCascadeRouter: RouterFactory = (config, context) => {
  const settings = parseRouterSettings(cascadeSettingsSchema, config.settings);
  const known = new Map(context.models.map((m) => [m.id, m]));
  const tiers = settings.tiers ?? byPrice(config.targets, known);
  if (tiers.length === 0) {
    throw new RouterSettingsError("settings.tiers", "a cascade router needs settings.tiers or at least one entry in targets");
  }
  tiers.forEach((id, i) => {
    if (!known.has(id)) throw new RouterSettingsError(`settings.tiers[${i}]`, `"${id}" is not a configured model`);
  });
  checkGateModels(settings.gate, known, "settings.gate");
  const decision: RouteDecision = {
    target: tiers[0] as string,
    score: 0,
    reason: `cascade: ${tiers.join(" → ")}, escalating when the ${describeGate(settings.gate)} gate fails`,
    details: { tiers },
  };
  const router: CascadeRouter = {
    id: config.id,
    kind: "cascade",
    tiers,
    settings,
    targets: [...new Set([...tiers, ...config.fallbacks])],
    decide: () => decision,
  };
  return router;
};

function byPrice(ids: readonly string[], models: ReadonlyMap<string, ModelConfig>): string[] {
  const price = (id: string) => {
    const p = models.get(id)?.price;
    return p ? p.input + p.output : Number.POSITIVE_INFINITY;
  };
  return [...ids].sort((a, b) => price(a) - price(b));
}

function checkGateModels(gate: GateSpec, models: ReadonlyMap<string, ModelConfig>, path: string): void {
  if (gate.kind === "judge" && !models.has(gate.model)) {
    throw new RouterSettingsError(`${path}.model`, `judge model "${gate.model}" is not a configured model`);
  }
  if (gate.kind === "all" || gate.kind === "any")
    for (const [i, g] of gate.gates.entries()) checkGateModels(g, models, `${path}.gates[${i}]`);
  if (gate.kind === "weighted") for (const [i, g] of gate.gates.entries()) checkGateModels(g.gate, models, `${path}.gates[${i}].gate`);
}

function describeGate(gate: GateSpec): string {
  if (gate.kind === "all" || gate.kind === "any") return `${gate.kind}(${gate.gates.map(describeGate).join(", ")})`;
  if (gate.kind === "weighted") return `weighted(${gate.gates.map((g) => describeGate(g.gate)).join(", ")})`;
  return gate.kind;
}
