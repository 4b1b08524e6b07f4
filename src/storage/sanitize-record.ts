import { createRedactor, type RedactionOptions, type Redactor } from "./create-redactor.js";
import { redactNullable } from "./redact-secrets.js";
import type { FeedbackRecord } from "./feedback-record.js";
import type { RequestLogRecord } from "./request-log-store.js";
import type { ShadowRecord } from "./shadow-record.js";

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

/** The feedback counterpart: secrets (and the configured set) redacted from comment and demonstration. */
export function createFeedbackSanitizer(options: SanitizeOptions): (record: FeedbackRecord) => FeedbackRecord {
  const redact: Redactor = createRedactor({ ...options.redact, knownSecrets: options.secrets ?? [] });
  return (record) => ({
    ...record,
    comment: redactNullable(redact, record.comment),
    demonstration: redactNullable(redact, record.demonstration),
    value: typeof record.value === "string" ? redact(record.value) : record.value,
  });
}

/** The shadow counterpart: verdict, answer and error redacted; the answer dropped when content logging is off. */
export function createShadowSanitizer(options: SanitizeOptions): (record: ShadowRecord) => ShadowRecord {
  const redact: Redactor = createRedactor({ ...options.redact, knownSecrets: options.secrets ?? [] });
  const logContent = options.logContent ?? true;
  return (record) => ({
    ...record,
    verdict: logContent ? redactNullable(redact, record.verdict) : null,
    shadowAnswer: logContent ? redactNullable(redact, record.shadowAnswer) : null,
    error: redactNullable(redact, record.error),
  });
}
