import type { RedactionOptions } from "./create-redactor.js";

/** Options every request log store takes. */
export interface RequestLogStoreOptions {
  /**
   * Called when records cannot be written (or the store fails). The store never throws from
   * `append` and never crashes the process; this is how failures surface. Default: one line
   * on stderr.
   */
  onError?: (error: Error) => void;
  /** Known secret values (upstream and client API keys) redacted from stored text. */
  secrets?: Iterable<string>;
  /** Store prompts and answers (default true); false stores null for both. */
  logContent?: boolean;
  /** Extra patterns and personal-data kinds redacted besides the secrets (`storage.redact`). */
  redact?: Pick<RedactionOptions, "extraPatterns" | "pii">;
}

export function defaultOnError(error: Error): void {
  process.stderr.write(`rightsize: request log: ${error.message}\n`);
}
