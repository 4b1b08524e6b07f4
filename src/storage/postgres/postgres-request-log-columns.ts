/**
 * The columns of the request log tables as the writer sends them (one JSON document per batch,
 * unpacked by `json_to_recordset`) and as the readers select them. One list, so the insert,
 * the select and the migration cannot drift apart.
 */
export type PostgresColumn = readonly [name: string, type: string];

export const REQUEST_COLUMNS: readonly PostgresColumn[] = [
  ["id", "text"],
  ["time", "bigint"],
  ["caller_id", "text"],
  ["requested_model", "text"],
  ["router", "text"],
  ["score", "double precision"],
  ["model", "text"],
  ["reason", "text"],
  ["status", "integer"],
  ["error", "text"],
  ["error_code", "text"],
  ["prompt_tokens", "bigint"],
  ["completion_tokens", "bigint"],
  ["usage_estimated", "boolean"],
  ["cost_usd", "double precision"],
  ["ttft_ms", "double precision"],
  ["latency_ms", "double precision"],
  ["stream", "boolean"],
  ["finish_reason", "text"],
  ["prompt", "text"],
  ["answer", "text"],
  ["episode_id", "text"],
  ["tags", "jsonb"],
];

export const FEEDBACK_COLUMNS: readonly PostgresColumn[] = [
  ["id", "text"],
  ["request_id", "text"],
  ["episode_id", "text"],
  ["metric", "text"],
  ["value_kind", "text"],
  ["value_number", "double precision"],
  ["value_label", "text"],
  ["comment", "text"],
  ["demonstration", "text"],
  ["source", "text"],
  ["caller_id", "text"],
  ["time", "bigint"],
];

export const SHADOW_COLUMNS: readonly PostgresColumn[] = [
  ["id", "text"],
  ["request_id", "text"],
  ["time", "bigint"],
  ["router", "text"],
  ["served_model", "text"],
  ["shadow_model", "text"],
  ["direction", "text"],
  ["judge_kind", "text"],
  ["judge_model", "text"],
  ["verdict", "text"],
  ["score", "double precision"],
  ["served_score", "double precision"],
  ["unparseable", "boolean"],
  ["shadow_answer", "text"],
  ["error", "text"],
  ["shadow_cost_usd", "double precision"],
  ["judge_cost_usd", "double precision"],
  ["prompt_tokens", "bigint"],
  ["completion_tokens", "bigint"],
];

/** Attempt columns; the writer's input also carries `request_id` to join on the inserted request. */
export const ATTEMPT_COLUMNS: readonly PostgresColumn[] = [
  ["idx", "integer"],
  ["model", "text"],
  ["step", "text"],
  ["outcome", "text"],
  ["status", "integer"],
  ["error", "text"],
  ["latency_ms", "double precision"],
  ["ttft_ms", "double precision"],
  ["prompt_tokens", "bigint"],
  ["completion_tokens", "bigint"],
  ["usage_estimated", "boolean"],
  ["cached_tokens", "bigint"],
  ["cost_usd", "double precision"],
  ["partial", "boolean"],
  ["note", "text"],
];

export const columnNames = (columns: readonly PostgresColumn[]): string[] => columns.map(([name]) => name);

/** `name type, name type, …` for a `json_to_recordset(…) AS r(…)` column definition list. */
export const columnDefinitions = (columns: readonly PostgresColumn[]): string =>
  columns.map(([name, type]) => `${name} ${type}`).join(", ");
