import { createHash } from "node:crypto";
import type { ClientBase } from "pg";
import type { RequestLogRecord } from "../request-log-store.js";
import { ATTEMPT_COLUMNS, columnDefinitions, columnNames, REQUEST_COLUMNS } from "./postgres-request-log-columns.js";
import { tableNamer } from "./postgres-migration.js";
import type { PostgresAttemptRow, PostgresRequestRow } from "./postgres-request-log-rows.js";
import { attemptRow, pgText, requestRow } from "./postgres-request-log-rows.js";

/**
 * One statement per batch: the requests and their attempts travel as two JSON parameters
 * (V8's JSON.stringify and PostgreSQL's JSON parser are the cheapest encoding either side has),
 * requests are inserted with `ON CONFLICT (id) DO NOTHING` — a replayed row is never written
 * twice — and attempts only for the requests this statement inserted. It returns the ids that
 * were already present.
 */
export function insertBatchSql(schema: string): string {
  const t = tableNamer(schema);
  const requestColumns = columnNames(REQUEST_COLUMNS).join(", ");
  const attemptColumns = columnNames(ATTEMPT_COLUMNS);
  return `WITH input AS MATERIALIZED (
      SELECT * FROM json_to_recordset($1::json) AS r(${columnDefinitions(REQUEST_COLUMNS)})
    ), inserted AS (
      INSERT INTO ${t("requests")} (${requestColumns}) SELECT ${requestColumns} FROM input
      ON CONFLICT (id) DO NOTHING RETURNING seq, id
    ), attempts AS (
      INSERT INTO ${t("attempts")} (request_seq, ${attemptColumns.join(", ")})
      SELECT inserted.seq, ${attemptColumns.map((name) => `a.${name}`).join(", ")}
      FROM json_to_recordset($2::json) AS a(request_id text, ${columnDefinitions(ATTEMPT_COLUMNS)})
      JOIN inserted ON inserted.id = a.request_id
    )
    SELECT input.id FROM input LEFT JOIN inserted ON inserted.id = input.id WHERE inserted.id IS NULL`;
}

/** The batch as the statement's two parameters. Records must have distinct ids. */
export function batchParameters(records: readonly RequestLogRecord[]): [string, string] {
  const requests: PostgresRequestRow[] = [];
  const attempts: (PostgresAttemptRow & { request_id: string })[] = [];
  for (const record of records) {
    requests.push(requestRow(record));
    const requestId = pgText(record.id);
    record.attempts.forEach((attempt, idx) => {
      attempts.push({ request_id: requestId, ...attemptRow(idx, attempt) });
    });
  }
  return [JSON.stringify(requests), JSON.stringify(attempts)];
}

const statements = new Map<string, { name: string; text: string }>();

/** The insert as a named (prepared once per connection) statement. */
function statementFor(schema: string): { name: string; text: string } {
  let statement = statements.get(schema);
  if (!statement) {
    statement = { name: `rightsize_insert_${createHash("sha1").update(schema).digest("hex").slice(0, 12)}`, text: insertBatchSql(schema) };
    statements.set(schema, statement);
  }
  return statement;
}

/** Inserts a batch (ids distinct within it) in one statement; returns the ids that were already stored. */
export async function insertRequestLogBatch(client: ClientBase, schema: string, records: readonly RequestLogRecord[]): Promise<string[]> {
  if (records.length === 0) return [];
  const result = await client.query<{ id: string }>({ ...statementFor(schema), values: batchParameters(records) });
  return result.rows.map((row) => row.id);
}
