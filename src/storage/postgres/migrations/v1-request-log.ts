import type { PostgresMigration } from "../postgres-migration.js";

/**
 * The request log: one row per request, one per upstream attempt. The request id is the primary
 * key (what feedback, judgments and lineage will refer to; "C" collation, so ties sort by code
 * point as in SQLite and memory); `seq` numbers rows in insertion order and links the attempts,
 * without an index of its own. Attempts point at `requests.seq` without a declared foreign key:
 * the writer inserts both in one statement, so the reference holds by construction, while a
 * foreign key (and the unique index on `seq` it needs) costs a large share of the insert
 * throughput (bench:scale measures it). Only the indices `rightsize logs` needs: by time, and by
 * served model and time. Every index is paid on every insert; add one with a migration when a
 * query needs it.
 */
export const requestLogMigration: PostgresMigration = {
  version: 1,
  name: "requests and attempts",
  up: (t) => `
    CREATE TABLE ${t("requests")} (
      id text COLLATE "C" PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
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
  `,
};
