import { pino, type Logger } from "pino";

/**
 * The process logger. Secrets never reach it: headers and config are never logged whole, and
 * these paths are redacted in case they appear in an error object.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ["apiKey", "*.apiKey", "headers.authorization", "*.headers.authorization", "req.headers.authorization", "key"],
      censor: "[REDACTED]",
    },
  });
}
