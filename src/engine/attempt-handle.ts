import type { RightsizeError } from "../core/errors.js";
import type { Usage } from "../core/usage.js";
import type { AttemptRecord } from "../storage/request-log-store.js";

/** How an attempt that made (part of) an answer ended: what it produced, for usage and cost. */
export interface AttemptOutput {
  /** The usage the model reported (estimated from `text` when absent). */
  usage: Usage | undefined;
  /** The answer text it produced. */
  text: string;
}

/**
 * One attempt of a request, from `RequestRun.begin` to its end: the only writer of its
 * record. `succeed`, `fail` and `abandon` end it (a held cascade tier that is relayed later
 * may `succeed` again: the record is updated, observed once); `note` adds to its note.
 */
export interface AttemptHandle {
  readonly model: string;
  /** The record as the log will see it (read only). */
  readonly record: Readonly<AttemptRecord>;
  /** performance.now() when the attempt began. */
  readonly startedAt: number;
  succeed(output: AttemptOutput): void;
  /**
   * The attempt failed: `aborted` when the request was cancelled meanwhile; `output` for a
   * stream that broke after producing part of an answer (its usage is accounted, `partial`).
   */
  fail(error: RightsizeError, aborted: boolean, output?: AttemptOutput): void;
  /** The engine stopped the attempt itself (a cascade tier let go): an ok outcome with a note. */
  abandon(note: string, output: AttemptOutput): void;
  /** The attempt was not sent (circuit open). */
  reject(reason: string): void;
  note(text: string): void;
}
