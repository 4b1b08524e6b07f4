import type BetterSqlite3 from "better-sqlite3";

type Database = BetterSqlite3.Database;

/** `PRAGMA application_id` of a rightsize request log ("RSZ1"), to tell it from other SQLite files. */
export const APPLICATION_ID = 0x52535a31;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, as an ordered list of migrations. `PRAGMA user_version` holds the version
 * applied last; `schema_migrations` records when each was applied. Never edit a shipped
 * migration: append a new one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "requests and attempts",
    sql: `
      CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL
      );
      CREATE TABLE requests (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        time INTEGER NOT NULL,
        caller_id TEXT,
        requested_model TEXT NOT NULL,
        router TEXT,
        score REAL,
        model TEXT,
        reason TEXT,
        status INTEGER NOT NULL,
        error TEXT,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        usage_estimated INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        ttft_ms REAL,
        latency_ms REAL NOT NULL,
        stream INTEGER NOT NULL,
        finish_reason TEXT,
        prompt TEXT,
        answer TEXT
      );
      CREATE INDEX requests_time ON requests (time, id);
      CREATE TABLE attempts (
        request_seq INTEGER NOT NULL REFERENCES requests (seq) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        model TEXT NOT NULL,
        step TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status INTEGER,
        error TEXT,
        latency_ms REAL NOT NULL,
        ttft_ms REAL,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        usage_estimated INTEGER,
        cached_tokens INTEGER,
        cost_usd REAL,
        partial INTEGER,
        note TEXT,
        PRIMARY KEY (request_seq, idx)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: "indices by model",
    sql: `
      CREATE INDEX requests_model_time ON requests (model, time, id);
      CREATE INDEX attempts_model ON attempts (model);
    `,
  },
  {
    version: 3,
    name: "error code of a request",
    sql: `
      ALTER TABLE requests ADD COLUMN error_code TEXT;
    `,
  },
  {
    version: 4,
    name: "episodes, tags, feedback and shadow judgments",
    sql: `
      ALTER TABLE requests ADD COLUMN episode_id TEXT;
      ALTER TABLE requests ADD COLUMN tags TEXT;
      CREATE INDEX requests_episode ON requests (episode_id) WHERE episode_id IS NOT NULL;
      CREATE TABLE feedback (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        request_id TEXT,
        episode_id TEXT,
        metric TEXT NOT NULL,
        value_kind TEXT NOT NULL,
        value_number REAL,
        value_label TEXT,
        comment TEXT,
        demonstration TEXT,
        source TEXT NOT NULL,
        caller_id TEXT,
        time INTEGER NOT NULL,
        CHECK ((request_id IS NULL) <> (episode_id IS NULL))
      );
      CREATE INDEX feedback_request ON feedback (request_id) WHERE request_id IS NOT NULL;
      CREATE INDEX feedback_episode ON feedback (episode_id) WHERE episode_id IS NOT NULL;
      CREATE TABLE shadow_judgments (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        request_id TEXT NOT NULL,
        time INTEGER NOT NULL,
        router TEXT,
        served_model TEXT NOT NULL,
        shadow_model TEXT NOT NULL,
        direction TEXT NOT NULL,
        judge_kind TEXT NOT NULL,
        judge_model TEXT,
        verdict TEXT,
        score REAL,
        served_score REAL,
        unparseable INTEGER NOT NULL,
        shadow_answer TEXT,
        error TEXT,
        shadow_cost_usd REAL NOT NULL,
        judge_cost_usd REAL NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL
      );
      CREATE INDEX shadow_request ON shadow_judgments (request_id);
      CREATE INDEX shadow_time ON shadow_judgments (time);
    `,
  },
];

export const LATEST_VERSION = (MIGRATIONS[MIGRATIONS.length - 1] as Migration).version;

/** The oldest schema the readers understand (newer migrations only add indices and nullable columns). */
export const MIN_READABLE_VERSION = 1;

export interface SchemaState {
  version: number;
  applicationId: number;
  tables: number;
}

export function readSchemaState(db: Database): SchemaState {
  return {
    version: db.pragma("user_version", { simple: true }) as number,
    applicationId: db.pragma("application_id", { simple: true }) as number,
    tables: (db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n,
  };
}

/**
 * Why this database cannot be used as a request log, or undefined when it can (an empty
 * database can: migrations create the schema).
 */
export function schemaProblem(state: SchemaState): string | undefined {
  const fresh = state.version === 0 && state.applicationId === 0 && state.tables === 0;
  if (fresh) return undefined;
  if (state.applicationId !== APPLICATION_ID) return "is a SQLite database but not a rightsize request log";
  if (state.version > LATEST_VERSION) {
    return `has request log schema v${state.version}, newer than this rightsize knows (v${LATEST_VERSION}); upgrade rightsize`;
  }
  return undefined;
}

/**
 * Applies every migration newer than the database's version, each in its own transaction
 * (a failure leaves the database at the last good version). Idempotent. Returns the versions applied.
 */
export function migrate(db: Database, targetVersion = LATEST_VERSION): number[] {
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version > targetVersion) break;
    db.transaction(() => {
      const current = db.pragma("user_version", { simple: true }) as number;
      if (migration.version <= current) return;
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        migration.version,
        migration.name,
        Date.now(),
      );
      db.pragma(`user_version = ${migration.version}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      applied.push(migration.version);
    }).immediate();
  }
  return applied;
}
