import { createRedactor, type Redactor } from "./create-redactor.js";

/**
 * Secret redaction for stored text (prompts, answers, errors): known secret values and anything
 * shaped like a credential. `createRedactor` builds the full configured set (extra patterns,
 * personal data); these are the shorthands for secrets only.
 */
export { MIN_KNOWN_SECRET_LENGTH, type Redactor } from "./create-redactor.js";
export { REDACTED } from "./secret-rules.js";

/** Builds a redactor for the given known secret values plus the built-in credential patterns. */
export function createSecretRedactor(knownSecrets: Iterable<string> = []): Redactor {
  return createRedactor({ knownSecrets });
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
