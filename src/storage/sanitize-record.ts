import { createRedactor, type RedactionOptions, type Redactor } from "./create-redactor.js";
import { redactNullable } from "./redact-secrets.js";
import type { RequestLogRecord } from "./request-log-store.js";

export interface SanitizeOptions {
  secrets?: Iterable<string>;
  logContent?: boolean;
  redact?: Pick<RedactionOptions, "extraPatterns" | "pii">;
}

/**
 * Builds the function every store applies before writing: drops prompt and answer when
 * content logging is off, and redacts secrets from every free-text field.
 */
export function createRecordSanitizer(options: SanitizeOptions): (record: RequestLogRecord) => RequestLogRecord {
  const redact: Redactor = createRedactor({ ...options.redact, knownSecrets: options.secrets ?? [] });
  const logContent = options.logContent ?? true;
  return (record) => ({
    ...record,
    reason: redactNullable(redact, record.reason),
    error: redactNullable(redact, record.error),
    prompt: logContent ? redactNullable(redact, record.prompt) : null,
    answer: logContent ? redactNullable(redact, record.answer) : null,
    attempts: record.attempts.map((attempt) => {
      const copy = { ...attempt };
      if (copy.error !== undefined) copy.error = redact(copy.error);
      if (copy.note !== undefined) copy.note = redact(copy.note);
      return copy;
    }),
  });
}
