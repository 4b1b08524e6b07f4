import { parentPort, workerData } from "node:worker_threads";
import type BetterSqlite3 from "better-sqlite3";
import type { RequestLogRecord } from "../request-log-store.js";
import type { ShadowRecord } from "../shadow-record.js";
import { createFeedbackSanitizer, createRecordSanitizer, createShadowSanitizer } from "../sanitize-record.js";
import { LATEST_VERSION } from "./migrations.js";
import { messageOf, openWritableDatabase } from "./open-sqlite-database.js";
import { createFeedbackInserters, createRecordInserter, SqliteRequestLogQueries } from "./sqlite-request-log-queries.js";
import type { FromWorker, QueryOp, ToWorker, WorkerSetup } from "./sqlite-worker-protocol.js";

/**
 * The SQLite request log's writer thread: owns the only read-write connection, so inserts
 * (and their fsyncs) never run on the gateway's event loop. Each batch is one transaction;
 * if it fails, records are retried one by one so a single bad record loses only itself, and
 * every failure is reported back.
 */
const port = parentPort;
if (!port) throw new Error("sqlite-request-log-worker must run in a worker thread");
const setup = workerData as WorkerSetup;
const post = (message: FromWorker): void => port.postMessage(message);

let db: BetterSqlite3.Database;
try {
  db = await openWritableDatabase(setup.file);
} catch (error) {
  post({ type: "open-error", message: messageOf(error) });
  port.close();
  process.exit(0);
}

const sanitizeOptions = { secrets: setup.secrets, logContent: setup.logContent, redact: setup.redact };
const sanitize = createRecordSanitizer(sanitizeOptions);
const sanitizeFeedback = createFeedbackSanitizer(sanitizeOptions);
const sanitizeShadow = createShadowSanitizer(sanitizeOptions);
const insert = createRecordInserter(db);
const learning = createFeedbackInserters(db);
const insertShadows = db.transaction((records: ShadowRecord[]) => records.forEach(learning.shadow));
const insertAll = db.transaction((records: RequestLogRecord[]) => records.forEach(insert));
const insertOne = db.transaction((record: RequestLogRecord) => insert(record));
const queries = new SqliteRequestLogQueries(db);

function write(batch: number, records: RequestLogRecord[], shadows: ShadowRecord[]): void {
  post({ type: "writing", batch, size: records.length });
  const clean = records.map(sanitize);
  const failed: { id: string; message: string }[] = [];
  try {
    insertAll(clean);
  } catch {
    for (const record of clean) {
      try {
        insertOne(record);
      } catch (error) {
        failed.push({ id: record.id, message: messageOf(error) });
      }
    }
  }
  const shadowFailed: { id: string; message: string }[] = [];
  if (shadows.length > 0) {
    const clean = shadows.map(sanitizeShadow);
    try {
      insertShadows(clean);
    } catch {
      for (const record of clean) {
        try {
          learning.shadow(record);
        } catch (error) {
          shadowFailed.push({ id: record.id, message: messageOf(error) });
        }
      }
    }
  }
  post({ type: "written", batch, size: records.length, failed, shadowCount: shadows.length, shadowFailed });
}

/** The methods a query message may call, by name. */
function runQuery(op: QueryOp, args: unknown[]): unknown {
  const method = queries[op] as (...values: unknown[]) => unknown;
  return method.apply(queries, args);
}

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "write":
      write(message.batch, message.records, message.shadows);
      return;
    case "feedback":
      try {
        learning.feedback(message.records.map(sanitizeFeedback));
        post({ type: "reply", id: message.id, value: null });
      } catch (error) {
        post({ type: "reply-error", id: message.id, message: messageOf(error) });
      }
      return;
    case "barrier":
      post({ type: "barrier", id: message.id });
      return;
    case "query":
      try {
        post({ type: "reply", id: message.id, value: runQuery(message.op, message.args) });
      } catch (error) {
        post({ type: "reply-error", id: message.id, message: messageOf(error) });
      }
      return;
    case "close":
      db.close();
      port.close();
      return;
  }
});

post({ type: "ready", version: LATEST_VERSION });
