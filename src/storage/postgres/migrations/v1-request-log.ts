import type { PostgresMigration } from "../postgres-migration.js";

/**
 * The request log: one row per request, one per upstream attempt. `id` uses the "C" collation
 * so ties sort by code point as in SQLite and memory. Attempts point at `requests.seq` without a
 * declared foreign key: the writer inserts both in one statement, so the reference holds by
 * construction, and the per-row trigger a foreign key adds cost about a fifth of the insert
 * throughput (docs/scale.md).
 */
export const requestLogMigration: PostgresMigration = {
  version: 1,
  name: "requests and attempts",
  up: (t) => `
    CREATE TABLE ${t("requests")} (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id text COLLATE "C" NOT NULL UNIQUE,
      time bigint NOT NULL,
      caller_id text,
      requested_model text NOT NULL,
      router text,
      score double precision,
      model text,
      reason text,
      status integer NOT NULL,
      error text,
      prompt_tokens bigint NOT NULL,
      completion_tokens bigint NOT NULL,
      usage_estimated boolean NOT NULL,
      cost_usd double precision NOT NULL,
      ttft_ms double precision,
      latency_ms double precision NOT NULL,
      stream boolean NOT NULL,
      finish_reason text,
      prompt text,
      answer text
    );
    CREATE INDEX requests_time ON ${t("requests")} (time, id);
    CREATE INDEX requests_model_time ON ${t("requests")} (model, time, id);
    CREATE TABLE ${t("attempts")} (
      request_seq bigint NOT NULL,
      idx integer NOT NULL,
      model text NOT NULL,
      step text NOT NULL,
      outcome text NOT NULL,
      status integer,
      error text,
      latency_ms double precision NOT NULL,
      ttft_ms double precision,
      prompt_tokens bigint,
      completion_tokens bigint,
      usage_estimated boolean,
      cached_tokens bigint,
      cost_usd double precision,
      partial boolean,
      note text,
      PRIMARY KEY (request_seq, idx)
    );
    CREATE INDEX attempts_model ON ${t("attempts")} (model);
  `,
};
