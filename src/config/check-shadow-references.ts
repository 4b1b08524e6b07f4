import type { RightsizeConfig } from "./config-schema.js";

/**
 * What the schema cannot check in `shadow:`: each router is a configured router, the judge a
 * configured model, and each shadow target a model that router may choose (its targets,
 * fallbacks or cascade tiers): shadow never sends a request where the router could not have.
 */
export function checkShadowReferences(config: RightsizeConfig, add: (pathParts: (string | number)[], message: string) => void): void {
  const shadow = config.shadow;
  if (!shadow) return;
  const modelIds = config.models.map((m) => m.id);
  if (!modelIds.includes(shadow.judge.model)) {
    add(["shadow", "judge", "model"], `unknown model "${shadow.judge.model}"; configured models: ${modelIds.join(", ")}`);
  }
  const routers = new Map(config.routers.map((r) => [r.id, r]));
  for (const [routerId, entry] of Object.entries(shadow.routers)) {
    const router = routers.get(routerId);
    if (!router) {
      add(
        ["shadow", "routers", routerId],
        `unknown router "${routerId}"; configured routers: ${[...routers.keys()].join(", ") || "(none)"}`,
      );
      continue;
    }
    const tiers = router.settings.tiers;
    const choosable = new Set([...router.targets, ...router.fallbacks, ...(Array.isArray(tiers) ? tiers.map(String) : [])]);
    entry.targets?.forEach((target, i) => {
      if (!modelIds.includes(target)) {
        add(["shadow", "routers", routerId, "targets", i], `unknown model "${target}"; configured models: ${modelIds.join(", ")}`);
      } else if (!choosable.has(target)) {
        add(
          ["shadow", "routers", routerId, "targets", i],
          `router "${routerId}" never chooses "${target}" (it may choose ${[...choosable].join(", ") || "nothing listed"}); shadow only asks models the router could have chosen`,
        );
      }
    });
  }
}
