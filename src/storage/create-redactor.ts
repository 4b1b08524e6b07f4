import { compileUserRegex } from "../core/compile-user-regex.js";
import { PII_KINDS, PII_ORDER, PII_RULES, type PiiKind } from "./pii-rules.js";
import { MIN_SECRET_LENGTH, REDACTED, type RedactionRule, SECRET_CANDIDATE, SECRET_RULES } from "./secret-rules.js";

/** Known secrets shorter than this are not searched for (they would mangle ordinary words). */
export const MIN_KNOWN_SECRET_LENGTH = 4;

export type Redactor = (text: string) => string;

/** What to redact: the configured set (`storage.redact`) plus the secret values a config holds. */
export interface RedactionOptions {
  /** Exact secret values (configured upstream and client keys), redacted wherever they appear. */
  knownSecrets?: Iterable<string>;
  /** Regular expressions (a leading `(?i)` = case-insensitive) whose matches are redacted too. */
  extraPatterns?: readonly (string | RegExp)[];
  /** Personal data too: every kind (`true`) or the ones listed (email, phone, card, iban). Default: none. */
  pii?: boolean | readonly PiiKind[];
}

/**
 * Builds the redactor for a configured set: known secret values, the built-in credential
 * shapes (always), extra patterns and the opt-in personal-data kinds. The request log applies
 * it to every free-text field it stores; an export (e.g. distillation data) can apply the same.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const known = [...new Set(options.knownSecrets ?? [])]
    .filter((secret) => secret.length >= MIN_KNOWN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  const knownPattern = known.length ? new RegExp(known.map(escapeRegExp).join("|"), "g") : undefined;
  const shortestKnown = known.length ? (known[known.length - 1] as string).length : Number.POSITIVE_INFINITY;
  const extra: RedactionRule[] = (options.extraPatterns ?? []).map((pattern) => ({
    pattern: typeof pattern === "string" ? compileUserRegex(pattern, "g") : globalCopy(pattern),
    replace: REDACTED,
  }));
  const kinds = options.pii === true ? PII_KINDS : options.pii === false || options.pii === undefined ? [] : options.pii;
  const pii = PII_ORDER.filter((kind) => kinds.includes(kind)).map((kind) => PII_RULES[kind]);
  const always = [...extra, ...pii];

  return (text: string): string => {
    let out = text;
    if (knownPattern && out.length >= shortestKnown) out = out.replace(knownPattern, REDACTED);
    if (out.length >= MIN_SECRET_LENGTH && SECRET_CANDIDATE.test(out)) out = applyRules(out, SECRET_RULES);
    return always.length ? applyRules(out, always) : out;
  };
}

function applyRules(text: string, rules: readonly RedactionRule[]): string {
  let out = text;
  for (const { pattern, replace } of rules) {
    if (typeof replace === "string") out = out.replace(pattern, replace);
    else out = out.replace(pattern, replace);
  }
  return out;
}

function globalCopy(pattern: RegExp): RegExp {
  return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
