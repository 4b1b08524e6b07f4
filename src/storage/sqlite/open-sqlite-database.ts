import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { RequestLogOpenError } from "../request-log-open-error.js";
import { MIN_READABLE_VERSION, migrate, readSchemaState, schemaProblem } from "./migrations.js";

type Database = BetterSqlite3.Database;

/** Loads better-sqlite3 on first use, so the library works without it installed. */
async function loadDriver(file: string): Promise<typeof BetterSqlite3> {
  try {
    const module = await import("better-sqlite3");
    return module.default;
  } catch (error) {
    throw new RequestLogOpenError(
      file,
      `the SQLite request log needs the better-sqlite3 package (npm install better-sqlite3): ${messageOf(error)}`,
    );
  }
}

/**
 * Opens (creating it and its folder if needed) a request log for writing: WAL mode,
 * migrations applied. Throws `RequestLogOpenError` for a file that is not a usable log.
 */
export async function openWritableDatabase(file: string): Promise<Database> {
  const Driver = await loadDriver(file);
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  let db: Database | undefined;
  try {
    db = new Driver(file, { timeout: 10_000 });
    const problem = schemaProblem(readSchemaState(db));
    if (problem) throw new RequestLogOpenError(file, problem);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw asOpenError(file, error);
  }
}

/** Opens an existing request log read-only (for `rightsize logs`); never creates or migrates. */
export async function openReadOnlyDatabase(file: string): Promise<Database> {
  if (file === ":memory:" || !existsSync(file)) {
    throw new RequestLogOpenError(file, "no request log here (the gateway creates it on first start)");
  }
  const Driver = await loadDriver(file);
  let db: Database | undefined;
  try {
    db = new Driver(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
    const state = readSchemaState(db);
    if (state.tables === 0 && state.version === 0) throw new RequestLogOpenError(file, "is an empty database, not a rightsize request log");
    const problem = schemaProblem(state);
    if (problem) throw new RequestLogOpenError(file, problem);
    if (state.version < MIN_READABLE_VERSION) {
      throw new RequestLogOpenError(file, `has request log schema v${state.version}, too old to read`);
    }
    return db;
  } catch (error) {
    db?.close();
    throw asOpenError(file, error);
  }
}

function asOpenError(file: string, error: unknown): RequestLogOpenError {
  if (error instanceof RequestLogOpenError) return error;
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  if (code === "SQLITE_NOTADB") return new RequestLogOpenError(file, "is not a SQLite database (corrupt, or some other file)");
  if (code === "SQLITE_CORRUPT") return new RequestLogOpenError(file, "is a corrupt SQLite database");
  if (code === "SQLITE_CANTOPEN") return new RequestLogOpenError(file, `cannot be opened: ${messageOf(error)}`);
  return new RequestLogOpenError(file, `cannot be opened as a request log: ${messageOf(error)}`);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
