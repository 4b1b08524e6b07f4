import type { PostgresMigration } from "../postgres-migration.js";

/**
 * Identity and what is learned about answers: the episode and tags of a request (nullable, so
 * older gateways keep writing), feedback on requests or episodes (every record kept: a later
 * value for the same metric supersedes by `seq`), and shadow judgments. Indices only for the
 * lookups feedback and exports make: by request and by episode.
 */
export const feedbackAndShadowMigration: PostgresMigration = {
  version: 3,
  name: "episodes, tags, feedback and shadow judgments",
  up: (t) => `
    ALTER TABLE ${t("requests")} ADD COLUMN episode_id text, ADD COLUMN tags jsonb;
    CREATE INDEX requests_episode ON ${t("requests")} (episode_id) WHERE episode_id IS NOT NULL;
    CREATE TABLE ${t("feedback")} (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id text COLLATE "C" NOT NULL UNIQUE,
      request_id text COLLATE "C",
      episode_id text COLLATE "C",
      metric text NOT NULL,
      value_kind text NOT NULL,
      value_number double precision,
      value_label text,
      comment text,
      demonstration text,
      source text NOT NULL,
      caller_id text,
      time bigint NOT NULL,
      CHECK ((request_id IS NULL) <> (episode_id IS NULL))
    );
    CREATE INDEX feedback_request ON ${t("feedback")} (request_id) WHERE request_id IS NOT NULL;
    CREATE INDEX feedback_episode ON ${t("feedback")} (episode_id) WHERE episode_id IS NOT NULL;
    CREATE TABLE ${t("shadow_judgments")} (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id text COLLATE "C" NOT NULL UNIQUE,
      request_id text COLLATE "C" NOT NULL,
      time bigint NOT NULL,
      router text,
      served_model text NOT NULL,
      shadow_model text NOT NULL,
      direction text NOT NULL,
      judge_kind text NOT NULL,
      judge_model text,
      verdict text,
      score double precision,
      served_score double precision,
      unparseable boolean NOT NULL,
      shadow_answer text,
      error text,
      shadow_cost_usd double precision NOT NULL,
      judge_cost_usd double precision NOT NULL,
      prompt_tokens bigint NOT NULL,
      completion_tokens bigint NOT NULL
    );
    CREATE INDEX shadow_request ON ${t("shadow_judgments")} (request_id);
    CREATE INDEX shadow_time ON ${t("shadow_judgments")} (time);
  `,
};
