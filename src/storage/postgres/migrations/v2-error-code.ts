import type { PostgresMigration } from "../postgres-migration.js";

/** The OpenAI error code a request was answered with (nullable: older gateways keep writing). */
export const errorCodeMigration: PostgresMigration = {
  version: 2,
  name: "error code of a request",
  up: (t) => `ALTER TABLE ${t("requests")} ADD COLUMN error_code text;`,
};
