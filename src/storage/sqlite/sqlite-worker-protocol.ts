import type { FeedbackRecord } from "../feedback-record.js";
import type { PiiKind } from "../pii-rules.js";
import type { RequestLogRecord } from "../request-log-store.js";
import type { ShadowRecord } from "../shadow-record.js";
import type { SqliteRequestLogQueries } from "./sqlite-request-log-queries.js";

/** What the SQLite writer worker receives at start. */
export interface WorkerSetup {
  file: string;
  secrets: string[];
  logContent: boolean;
  /** Extra patterns as regex sources (structured-cloneable) and the personal-data kinds. */
  redact: { extraPatterns: string[]; pii: boolean | PiiKind[] };
}

/** The read queries the worker answers: the methods of `SqliteRequestLogQueries`. */
export type QueryOp =
  | "list"
  | "count"
  | "costSummary"
  | "findRequest"
  | "findEpisode"
  | "listFeedback"
  | "feedbackSummary"
  | "listShadow"
  | "shadowSummary"
  | "exchangePage";

export type QueryArgs<Op extends QueryOp> = Parameters<SqliteRequestLogQueries[Op]>;
export type QueryResult<Op extends QueryOp> = ReturnType<SqliteRequestLogQueries[Op]>;

/** Main thread → worker. Messages are handled strictly in order. */
export type ToWorker =
  | { type: "write"; batch: number; records: RequestLogRecord[]; shadows: ShadowRecord[] }
  | { type: "feedback"; id: number; records: FeedbackRecord[] }
  | { type: "barrier"; id: number }
  | { type: "query"; id: number; op: QueryOp; args: unknown[] }
  | { type: "close" };

/** Worker → main thread. */
export type FromWorker =
  | { type: "ready"; version: number }
  | { type: "open-error"; message: string }
  | { type: "writing"; batch: number; size: number }
  | {
      type: "written";
      batch: number;
      size: number;
      failed: { id: string; message: string }[];
      shadowCount: number;
      shadowFailed: { id: string; message: string }[];
    }
  | { type: "barrier"; id: number }
  | { type: "reply"; id: number; value: unknown }
  | { type: "reply-error"; id: number; message: string };
