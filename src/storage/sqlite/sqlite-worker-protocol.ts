import type { PiiKind } from "../pii-rules.js";
import type { CostSummary, RequestLogQuery, RequestLogRecord } from "../request-log-store.js";

/** What the SQLite writer worker receives at start. */
export interface WorkerSetup {
  file: string;
  secrets: string[];
  logContent: boolean;
  /** Extra patterns as regex sources (structured-cloneable) and the personal-data kinds. */
  redact: { extraPatterns: string[]; pii: boolean | PiiKind[] };
}

export type QueryOp = "list" | "count" | "costSummary";

/** Main thread → worker. Messages are handled strictly in order. */
export type ToWorker =
  | { type: "write"; batch: number; records: RequestLogRecord[] }
  | { type: "barrier"; id: number }
  | { type: "query"; id: number; op: QueryOp; query: RequestLogQuery }
  | { type: "close" };

/** Worker → main thread. */
export type FromWorker =
  | { type: "ready"; version: number }
  | { type: "open-error"; message: string }
  | { type: "writing"; batch: number; size: number }
  | { type: "written"; batch: number; size: number; failed: { id: string; message: string }[] }
  | { type: "barrier"; id: number }
  | { type: "reply"; id: number; value: RequestLogRecord[] | number | CostSummary }
  | { type: "reply-error"; id: number; message: string };
