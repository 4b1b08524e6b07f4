/** A PostgreSQL schema rightsize cannot use: not its own, migrated by an incompatible newer version, or a failed migration. */
export class PostgresSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PostgresSchemaError";
  }
}
