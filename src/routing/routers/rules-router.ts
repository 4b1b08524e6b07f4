import { z } from "zod";
import type { RouterFactory } from "../router-factory.js";
import { RouterSettingsError } from "../router-settings-error.js";
import type { RouteDecision, Router } from "../router.js";
import { extractRequestFeatures } from "../request-features.js";
import { parseRouterSettings } from "../parse-router-settings.js";
import { compileCondition, compileRegex, ruleConditionSchema, type RuleCondition } from "./rule-condition.js";

/** The settings of a `rules` router: ordered rules over request features and a default target. */
export const rulesRouterSettingsSchema = z.strictObject({
  default: z.string().min(1).describe("Target when no rule matches."),
  defaultScore: z.number().min(0).max(1).optional(),
  rules: z
    .array(
      z.strictObject({
        name: z.string().min(1).optional(),
        when: ruleConditionSchema,
        target: z.string().min(1),
        score: z.number().min(0).max(1).optional(),
      }),
    )
    .default([]),
});

/**
 * Ordered rules over request features; the first rule whose condition holds picks the
 * target. A rule's score defaults to the target's price rank among the router's models
 * (cheapest 0, dearest 1), so scores mean "how much this request needs a large model".
 */
export const createRulesRouter: RouterFactory = (config, context) => {
  const settings = parseRouterSettings(rulesRouterSettingsSchema, config.settings);
  const known = new Set(context.models.map((m) => m.id));
  const check = (target: string, path: string) => {
    if (!known.has(target)) throw new RouterSettingsError(path, `unknown model "${target}"`);
  };
  check(settings.default, "settings.default");
  settings.rules.forEach((rule, i) => {
    check(rule.target, `settings.rules[${i}].target`);
    validateRegexes(rule.when, `settings.rules[${i}].when`);
  });
  const targets = unique([settings.default, ...settings.rules.map((r) => r.target), ...config.targets]);
  const rank = priceRank(targets, context.models);
  const rules = settings.rules.map((rule, i) => ({
    name: rule.name ?? `rule ${i + 1}`,
    target: rule.target,
    score: rule.score ?? rank(rule.target),
    matches: compileCondition(rule.when),
  }));
  const fallback: RouteDecision = {
    target: settings.default,
    score: settings.defaultScore ?? rank(settings.default),
    reason: `no rule matched: default ${settings.default}`,
  };
  const router: Router = {
    id: config.id,
    kind: "rules",
    targets: unique([...targets, ...config.fallbacks]),
    decide(request, routeContext) {
      const features = extractRequestFeatures(request);
      for (const rule of rules) {
        const reasons = rule.matches(features, routeContext);
        if (reasons) {
          return {
            target: rule.target,
            score: rule.score,
            reason: `rule "${rule.name}" matched${reasons.length ? ` (${reasons.join(", ")})` : ""}: ${rule.target}`,
          };
        }
      }
      return fallback;
    },
  };
  return router;
};

function validateRegexes(condition: RuleCondition, path: string): void {
  if (condition.regex !== undefined) {
    try {
      compileRegex(condition.regex);
    } catch (error) {
      throw new RouterSettingsError(`${path}.regex`, `invalid regular expression: ${(error as Error).message}`);
    }
  }
  for (const [i, c] of (condition.all ?? []).entries()) validateRegexes(c, `${path}.all[${i}]`);
  for (const [i, c] of (condition.any ?? []).entries()) validateRegexes(c, `${path}.any[${i}]`);
  if (condition.not) validateRegexes(condition.not, `${path}.not`);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function priceRank(targets: string[], models: RouterFactoryModels): (target: string) => number {
  const price = (id: string) => {
    const model = models.find((m) => m.id === id);
    return model ? model.price.input + model.price.output : 0;
  };
  const sorted = unique(targets).sort((a, b) => price(a) - price(b));
  return (target) => (sorted.length <= 1 ? 0 : sorted.indexOf(target) / (sorted.length - 1));
}

type RouterFactoryModels = Parameters<RouterFactory>[1]["models"];
