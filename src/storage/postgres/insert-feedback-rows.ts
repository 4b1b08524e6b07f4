import type { Pool } from "pg";
import type { FeedbackRecord } from "../feedback-record.js";
import { feedbackParams, shadowParams } from "../feedback-rows.js";
import type { ShadowRecord } from "../shadow-record.js";
import { pgText } from "./postgres-request-log-rows.js";
import { columnDefinitions, columnNames, FEEDBACK_COLUMNS, type PostgresColumn, SHADOW_COLUMNS } from "./postgres-request-log-columns.js";
import { tableNamer } from "./postgres-migration.js";

function insertSql(schema: string, table: string, columns: readonly PostgresColumn[]): string {
  const names = columnNames(columns).join(", ");
  return `INSERT INTO ${tableNamer(schema)(table)} (${names})
    SELECT ${names} FROM json_to_recordset($1::json) AS r(${columnDefinitions(columns)})`;
}

/** Every string field through pgText (no NUL, no lone surrogates). */
function cleanStrings<T extends object>(row: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = typeof value === "string" ? pgText(value) : value;
  return out as T;
}

/** Inserts feedback records in one statement: all of them or, on any error, none. */
export async function insertFeedbackRows(pool: Pool, schema: string, records: readonly FeedbackRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((record) => cleanStrings(feedbackParams(record)));
  await pool.query(insertSql(schema, "feedback", FEEDBACK_COLUMNS), [JSON.stringify(rows)]);
}

/** Inserts shadow judgments in one statement; a judgment already stored (same id) is skipped. */
export async function insertShadowRows(pool: Pool, schema: string, records: readonly ShadowRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((record) => cleanStrings({ ...shadowParams(record), unparseable: record.unparseable }));
  await pool.query(`${insertSql(schema, "shadow_judgments", SHADOW_COLUMNS)} ON CONFLICT (id) DO NOTHING`, [JSON.stringify(rows)]);
}
