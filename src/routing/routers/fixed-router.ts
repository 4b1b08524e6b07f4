import { z } from "zod";
import type { RouterFactory } from "../router-factory.js";
import { RouterSettingsError } from "../router-settings-error.js";
import type { Router } from "../router.js";
import { parseRouterSettings } from "../parse-router-settings.js";

/** The settings of a `fixed` router. */
export const fixedRouterSettingsSchema = z.strictObject({
  target: z.string().min(1).optional().describe("The model every request goes to (default: the first target)."),
  score: z.number().min(0).max(1).default(0),
});

/** Sends every request to one model. */
export const createFixedRouter: RouterFactory = (config, context) => {
  const settings = parseRouterSettings(fixedRouterSettingsSchema, config.settings);
  const target = settings.target ?? config.targets[0];
  if (!target) throw new RouterSettingsError("settings.target", "a fixed router needs settings.target or one entry in targets");
  const decision = { target, score: settings.score, reason: `fixed router: always ${target}` };
  const router: Router = {
    id: config.id,
    kind: "fixed",
    targets: [target, ...config.fallbacks],
    decide: () => decision,
  };
  void context;
  return router;
};
