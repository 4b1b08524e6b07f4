import { z } from "zod";
import type { RouteContext } from "../router.js";
import type { RequestFeatures } from "../request-features.js";

export interface RuleCondition {
  minPromptTokens?: number;
  maxPromptTokens?: number;
  minTurns?: number;
  maxTurns?: number;
  hasCode?: boolean;
  hasTools?: boolean;
  jsonOutput?: boolean;
  hasSystemPrompt?: boolean;
  /** Any of these words or phrases (case-insensitive) appears in the conversation. */
  keywords?: string[];
  /** A regular expression over the conversation text; a leading `(?i)` makes it case-insensitive. */
  regex?: string;
  /** Request headers that must equal one of the given values (names case-insensitive). */
  header?: Record<string, string | string[]>;
  all?: RuleCondition[];
  any?: RuleCondition[];
  not?: RuleCondition;
}

export const ruleConditionSchema: z.ZodType<RuleCondition> = z.lazy(() =>
  z.strictObject({
    minPromptTokens: z.number().int().nonnegative().optional(),
    maxPromptTokens: z.number().int().nonnegative().optional(),
    minTurns: z.number().int().nonnegative().optional(),
    maxTurns: z.number().int().nonnegative().optional(),
    hasCode: z.boolean().optional(),
    hasTools: z.boolean().optional(),
    jsonOutput: z.boolean().optional(),
    hasSystemPrompt: z.boolean().optional(),
    keywords: z.array(z.string().min(1)).min(1).optional(),
    regex: z.string().min(1).optional(),
    header: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    all: z.array(ruleConditionSchema).optional(),
    any: z.array(ruleConditionSchema).optional(),
    not: ruleConditionSchema.optional(),
  }),
);

/** A condition compiled once: regexes built, keywords lower-cased. Returns the reasons it matched, or null. */
export type CompiledCondition = (features: RequestFeatures, context: RouteContext) => string[] | null;

export function compileRegex(source: string): RegExp {
  const insensitive = source.startsWith("(?i)");
  return new RegExp(insensitive ? source.slice(4) : source, insensitive ? "i" : "");
}

export function compileCondition(condition: RuleCondition): CompiledCondition {
  const checks: CompiledCondition[] = [];
  const range = (name: string, value: (f: RequestFeatures) => number, min?: number, max?: number) => {
    if (min !== undefined) checks.push((f) => (value(f) >= min ? [`${name} ${value(f)} ≥ ${min}`] : null));
    if (max !== undefined) checks.push((f) => (value(f) <= max ? [`${name} ${value(f)} ≤ ${max}`] : null));
  };
  range("prompt tokens", (f) => f.promptTokens, condition.minPromptTokens, condition.maxPromptTokens);
  range("turns", (f) => f.turns, condition.minTurns, condition.maxTurns);
  for (const flag of ["hasCode", "hasTools", "jsonOutput", "hasSystemPrompt"] as const) {
    const wanted = condition[flag];
    if (wanted !== undefined) checks.push((f) => (f[flag] === wanted ? [`${flag}=${wanted}`] : null));
  }
  if (condition.keywords) {
    const words = condition.keywords.map((w) => w.toLowerCase());
    checks.push((f) => {
      const text = f.allText.toLowerCase();
      const found = words.find((w) => text.includes(w));
      return found === undefined ? null : [`keyword "${found}"`];
    });
  }
  if (condition.regex) {
    const pattern = compileRegex(condition.regex);
    checks.push((f) => (pattern.test(f.allText) ? [`regex /${condition.regex}/`] : null));
  }
  if (condition.header) {
    for (const [name, expected] of Object.entries(condition.header)) {
      const key = name.toLowerCase();
      const values = (Array.isArray(expected) ? expected : [expected]).map((v) => v.toLowerCase());
      checks.push((_f, ctx) => {
        const raw = ctx.headers[key];
        const actual = (Array.isArray(raw) ? raw[0] : raw)?.toLowerCase();
        return actual !== undefined && values.includes(actual) ? [`header ${key}: ${actual}`] : null;
      });
    }
  }
  if (condition.all) {
    const parts = condition.all.map(compileCondition);
    checks.push((f, ctx) => {
      const reasons: string[] = [];
      for (const part of parts) {
        const matched = part(f, ctx);
        if (!matched) return null;
        reasons.push(...matched);
      }
      return reasons;
    });
  }
  if (condition.any) {
    const parts = condition.any.map(compileCondition);
    checks.push((f, ctx) => {
      for (const part of parts) {
        const matched = part(f, ctx);
        if (matched) return matched;
      }
      return null;
    });
  }
  if (condition.not) {
    const inner = compileCondition(condition.not);
    checks.push((f, ctx) => (inner(f, ctx) ? null : ["not(…)"]));
  }
  return (features, context) => {
    const reasons: string[] = [];
    for (const check of checks) {
      const matched = check(features, context);
      if (!matched) return null;
      reasons.push(...matched);
    }
    return reasons;
  };
}
