import type { PostgresMigration } from "../postgres-migration.js";

/** Virtual client keys (hashed), their limits and budget (`rightsize keys`). */
export const virtualKeysMigration: PostgresMigration = {
  version: 4,
  name: "virtual keys",
  up: (t) => `
    CREATE TABLE ${t("virtual_keys")} (
      id text COLLATE "C" PRIMARY KEY,
      key_hash text COLLATE "C" NOT NULL UNIQUE,
      key_hint text NOT NULL,
      owner text NOT NULL,
      routers text,
      models text,
      rpm integer,
      tpm integer,
      budget_usd double precision,
      budget_period text CHECK (budget_period IN ('day', 'month')),
      created_at bigint NOT NULL,
      revoked_at bigint,
      rotated_at bigint,
      previous_hash text COLLATE "C",
      previous_until bigint
    );
    CREATE INDEX virtual_keys_previous_hash ON ${t("virtual_keys")} (previous_hash) WHERE previous_hash IS NOT NULL;
  `,
};
