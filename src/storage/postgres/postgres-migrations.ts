import { requestLogMigration } from "./migrations/v1-request-log.js";
import { errorCodeMigration } from "./migrations/v2-error-code.js";
import { feedbackAndShadowMigration } from "./migrations/v3-feedback-and-shadow.js";
import type { PostgresMigration } from "./postgres-migration.js";

/**
 * Every migration of the PostgreSQL schema, in version order (1, 2, 3, … without gaps). A new
 * table or index is a new file under `migrations/` appended here; never edit one that shipped.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [requestLogMigration, errorCodeMigration, feedbackAndShadowMigration];
