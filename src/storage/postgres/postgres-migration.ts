/** Qualifies a table (or other object) name with the store's schema: `t("requests")` → `"rightsize"."requests"`. */
export type TableName = (name: string) => string;

/**
 * One step of the PostgreSQL schema. Migrations are applied in version order, each in its own
 * transaction, and recorded in `schema_migrations` with a checksum of their SQL; a shipped
 * migration is never edited, a change is a new migration (see docs/scale.md).
 */
export interface PostgresMigration {
  version: number;
  name: string;
  /** The SQL of this step; table names go through `t` so the configured schema is used. */
  up: (t: TableName) => string;
  /**
   * True when gateways that do not know this migration can no longer work with the schema
   * (a dropped, renamed or retyped column). Additive steps (new tables, indices, nullable
   * columns) leave it unset, so older gateways keep running during a rolling upgrade.
   */
  breaksOlderGateways?: boolean;
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function tableNamer(schema: string): TableName {
  const prefix = `${quoteIdent(schema)}.`;
  return (name) => prefix + quoteIdent(name);
}
