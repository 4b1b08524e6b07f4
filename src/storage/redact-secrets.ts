/**
 * Removes secrets from text before it is stored (prompts, answers, errors): the known secret
 * values (configured upstream and client API keys) and anything shaped like a credential.
 * Text stays readable (and JSON stays valid): only the secret itself becomes `[REDACTED]`,
 * a `Bearer `, `api_key=` or header prefix is kept.
 */
export const REDACTED = "[REDACTED]";

/** Known secrets shorter than this are not searched for (they would mangle ordinary words). */
export const MIN_KNOWN_SECRET_LENGTH = 4;

interface Rule {
  pattern: RegExp;
  /** Replacement string ($1… refer to kept prefixes). */
  replace: string;
}

const RULES: readonly Rule[] = [
  // PEM private key blocks, raw or JSON-escaped (\n), terminated or cut off.
  {
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s]|\\[nr])*(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)?/g,
    replace: REDACTED,
  },
  // Authorization header values of any scheme: "Authorization: Basic abc", "authorization": "Token x".
  {
    pattern:
      /(\bauthorization["']?\s*[:=]\s*["']?(?!(?:(?:Bearer|Basic|Token|Digest)\s+)?\[REDACTED\])(?:(?:Bearer|Basic|Token|Digest)\s+)?)[^\s"'`,;}\]]{4,}/gi,
    replace: `$1${REDACTED}`,
  },
  // Bearer tokens anywhere.
  { pattern: /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1${REDACTED}` },
  // key = value / "key": "value" / header: value for credential-like names.
  {
    pattern:
      /(\b(?:x-)?(?:api[_-]?key|api[_-]?token|secret[_-]?access[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|private[_-]?key|password|passwd)["']?\s*[:=]\s*["']?)(?!\[REDACTED\])[^\s"'`,;}\]&]{4,}/gi,
    replace: `$1${REDACTED}`,
  },
  // OpenAI (sk-…, sk-proj-…) and Anthropic (sk-ant-…) keys.
  { pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: REDACTED },
  // AWS access key ids.
  { pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g, replace: REDACTED },
  // GitHub tokens.
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g, replace: REDACTED },
  // Slack tokens, Google API keys, JSON Web Tokens.
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: REDACTED },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}/g, replace: REDACTED },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: REDACTED },
];

/** A cheap pre-check: text without any of these substrings cannot match a pattern rule. */
const CANDIDATE = /sk-|bearer|authorization|key|token|secret|passw|akia|asia|agpa|aida|aroa|gh[pousr]_|github_pat_|xox|aiza|eyj|private/i;

/** Shortest text any rule can match; shorter text is returned as is when no known secret fits. */
const MIN_PATTERN_LENGTH = 12;

export type Redactor = (text: string) => string;

/** Builds a redactor for the given known secret values plus the built-in credential patterns. */
export function createSecretRedactor(knownSecrets: Iterable<string> = []): Redactor {
  const known = [...new Set(knownSecrets)].filter((secret) => secret.length >= MIN_KNOWN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const knownPattern = known.length ? new RegExp(known.map(escapeRegExp).join("|"), "g") : undefined;
  const shortestKnown = known.length ? (known[known.length - 1] as string).length : Infinity;

  return (text: string): string => {
    let out = text;
    if (knownPattern && out.length >= shortestKnown) out = out.replace(knownPattern, REDACTED);
    if (out.length < MIN_PATTERN_LENGTH || !CANDIDATE.test(out)) return out;
    for (const rule of RULES) out = out.replace(rule.pattern, rule.replace);
    return out;
  };
}

const defaultRedactor = createSecretRedactor();

/** Redacts `text` with the built-in patterns and the given known secrets. */
export function redactSecrets(text: string, knownSecrets?: Iterable<string>): string {
  return knownSecrets ? createSecretRedactor(knownSecrets)(text) : defaultRedactor(text);
}

/** Redacts a nullable field. */
export function redactNullable(redact: Redactor, text: string | null): string | null {
  return text === null ? null : redact(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
