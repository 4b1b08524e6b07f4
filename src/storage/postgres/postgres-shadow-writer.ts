import type { Pool } from "pg";
import type { ShadowRecord } from "../shadow-record.js";
import { insertShadowRows } from "./insert-feedback-rows.js";

export interface PostgresShadowWriterOptions {
  pool: Pool;
  schema: string;
  batchSize: number;
  batchMs: number;
  maxQueue: number;
  /** Judgments lost (queue full, or an insert that failed). */
  onDropped: (count: number, error?: Error) => void;
}

/**
 * Shadow judgments into PostgreSQL, in batches off the request path like request rows, but not
 * spooled: while PostgreSQL is down they are reported lost (they are samples, not the log).
 * Batches are written one after another.
 */
export class PostgresShadowWriter {
  readonly #options: PostgresShadowWriterOptions;
  #queue: ShadowRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writes: Promise<void> = Promise.resolve();

  constructor(options: PostgresShadowWriterOptions) {
    this.#options = options;
  }

  append(record: ShadowRecord): void {
    if (this.#queue.length >= this.#options.maxQueue) {
      this.#options.onDropped(1);
      return;
    }
    this.#queue.push(record);
    if (this.#queue.length >= this.#options.batchSize) this.#write();
    else this.#timer ??= setTimeout(() => this.#write(), this.#options.batchMs);
  }

  /** Writes what is queued; resolves once every batch so far has settled. */
  flush(): Promise<void> {
    this.#write();
    return this.#writes;
  }

  /** Stops the batch timer and waits for the writes under way. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#writes;
  }

  #write(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    const { pool, schema, onDropped } = this.#options;
    this.#writes = this.#writes.then(() =>
      insertShadowRows(pool, schema, batch).catch((error: unknown) => {
        onDropped(batch.length, new Error(`${batch.length} shadow judgments were not logged: ${(error as Error).message}`));
      }),
    );
  }
}
