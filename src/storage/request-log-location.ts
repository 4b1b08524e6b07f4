import { describeDatabaseUrl } from "./describe-database-url.js";

/** Where a request log lives, for readers such as `rightsize logs`. */
export type RequestLogLocation = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string; schema: string };

/** The location for messages: a file path, or the URL (password hidden) with its schema. */
export function describeRequestLogLocation(location: RequestLogLocation): string {
  return location.kind === "sqlite" ? location.file : `${describeDatabaseUrl(location.url)} (schema ${location.schema})`;
}

/** A `--db` argument naming a PostgreSQL database rather than a file. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//.test(value);
}
