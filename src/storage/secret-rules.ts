/** A redaction rule: what to find and what to put in its place (a string with `$1` … or a function). */
export interface RedactionRule {
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

export const REDACTED = "[REDACTED]";

/** An identifier part before a credential name: `aws_` in aws_secret_access_key, `OPENAI_` in OPENAI_API_KEY, `x-` in x-api-key. */
const NAME_PREFIX = "(?<![A-Za-z0-9_.-])(?:[A-Za-z0-9]+[_.-])*?";
const CREDENTIAL_NAME =
  "(?:api[_-]?key|api[_-]?token|access[_-]?key|secret[_-]?key|secret|client[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|private[_-]?key|password|passwd|pwd)";

/**
 * Credentials by shape. Text stays readable (and JSON stays valid): only the secret becomes
 * `[REDACTED]`; a `Bearer `, `api_key=`, header name or URL user is kept. Values stop at a
 * backslash, so JSON-escaped text (a prompt holding JSON, stored as JSON) stays valid.
 */
export const SECRET_RULES: readonly RedactionRule[] = [
  // PEM private key blocks (RSA, EC, OpenSSH, PKCS#8, encrypted, PGP), raw or JSON-escaped, terminated or cut off.
  {
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|(?:[A-Za-z0-9+/=:\s-]|\\[nr])*)/g,
    replace: REDACTED,
  },
  // Authorization header values of any scheme: "Authorization: Basic abc", "authorization": "Token x".
  {
    pattern:
      /(\bauthorization(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?(?!(?:(?:Bearer|Basic|Token|Digest)\s+)?\[REDACTED\])(?:(?:Bearer|Basic|Token|Digest)\s+)?)[^\s"'`,;}\]\\]{4,}/gi,
    replace: `$1${REDACTED}`,
  },
  // Bearer tokens anywhere.
  { pattern: /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1${REDACTED}` },
  // name = value / "name": "value" / header: value for credential-like names (aws_secret_access_key=…, OPENAI_API_KEY=…).
  {
    pattern: new RegExp(
      `(${NAME_PREFIX}${CREDENTIAL_NAME}(?:\\\\?["'])?\\s*[:=]\\s*(?:\\\\?["'])?)(?!\\[REDACTED\\])[^\\s"'\`,;}\\]&\\\\]{4,}`,
      "gi",
    ),
    replace: `$1${REDACTED}`,
  },
  // Credentials in URLs: scheme://user:password@host keeps the user.
  { pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'<>]*:)(?!\[REDACTED\]@)[^\s/@"'<>\\]+(?=@)/gi, replace: `$1${REDACTED}` },
  // OpenAI (sk-…, sk-proj-…) and Anthropic (sk-ant-…) keys.
  { pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: REDACTED },
  // Stripe secret and restricted keys, webhook signing secrets.
  { pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g, replace: REDACTED },
  { pattern: /\bwhsec_[A-Za-z0-9+/=]{24,}/g, replace: REDACTED },
  // Hugging Face user and organisation tokens.
  { pattern: /\bhf_[A-Za-z0-9]{30,}\b/g, replace: REDACTED },
  // AWS access key ids.
  { pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g, replace: REDACTED },
  // GitHub tokens.
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g, replace: REDACTED },
  // Slack tokens, Google API keys, JSON Web Tokens.
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: REDACTED },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}/g, replace: REDACTED },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: REDACTED },
];

/** A cheap pre-check: text without any of these substrings cannot match a secret rule. */
export const SECRET_CANDIDATE =
  /sk-|sk_|rk_|whsec_|hf_|bearer|authorization|key|token|secret|passw|pwd|:\/\/|akia|asia|agpa|aida|aroa|gh[pousr]_|github_pat_|xox|aiza|eyj|private/i;

/** Shortest text any secret rule can match. */
export const MIN_SECRET_LENGTH = 12;
