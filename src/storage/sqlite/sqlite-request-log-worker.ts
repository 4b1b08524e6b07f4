import { parentPort, workerData } from "node:worker_threads";
import type BetterSqlite3 from "better-sqlite3";
import type { RequestLogRecord } from "../request-log-store.js";
import { createRecordSanitizer } from "../sanitize-record.js";
import { LATEST_VERSION } from "./migrations.js";
import { messageOf, openWritableDatabase } from "./open-sqlite-database.js";
import { createRecordInserter, SqliteRequestLogQueries } from "./sqlite-request-log-queries.js";
import type { FromWorker, ToWorker, WorkerSetup } from "./sqlite-worker-protocol.js";

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

const sanitize = createRecordSanitizer({ secrets: setup.secrets, logContent: setup.logContent, redact: setup.redact });
const insert = createRecordInserter(db);
const insertAll = db.transaction((records: RequestLogRecord[]) => records.forEach(insert));
const insertOne = db.transaction((record: RequestLogRecord) => insert(record));
const queries = new SqliteRequestLogQueries(db);

function write(batch: number, records: RequestLogRecord[]): void {
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
  post({ type: "written", batch, size: records.length, failed });
}

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "write":
      write(message.batch, message.records);
      return;
    case "barrier":
      post({ type: "barrier", id: message.id });
      return;
    case "query":
      try {
        const value =
          message.op === "list"
            ? queries.list(message.query)
            : message.op === "count"
              ? queries.count()
              : queries.costSummary(message.query);
        post({ type: "reply", id: message.id, value });
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
