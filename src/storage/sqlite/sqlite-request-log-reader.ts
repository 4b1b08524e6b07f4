import { readExchangePages } from "../read-exchange-pages.js";
import type { RequestLogReader } from "../request-log-store.js";
import { openReadOnlyDatabase } from "./open-sqlite-database.js";
import { SqliteRequestLogQueries } from "./sqlite-request-log-queries.js";

/**
 * Opens an existing SQLite request log read-only, on the calling thread (for the CLI: it
 * neither blocks a gateway nor is blocked by one, thanks to WAL). Throws
 * `RequestLogOpenError` for a missing, non-SQLite, foreign or too-new file.
 */
export async function openRequestLogReader(file: string): Promise<RequestLogReader> {
  const db = await openReadOnlyDatabase(file);
  const queries = new SqliteRequestLogQueries(db);
  return {
    list: async (query) => queries.list(query),
    count: async () => queries.count(),
    costSummary: async (query) => queries.costSummary(query),
    findRequest: async (id) => queries.findRequest(id),
    findEpisode: async (episodeId) => queries.findEpisode(episodeId),
    listFeedback: async (query) => queries.listFeedback(query),
    feedbackSummary: async (query) => queries.feedbackSummary(query),
    listShadow: async (query) => queries.listShadow(query),
    shadowSummary: async (query) => queries.shadowSummary(query),
    exchanges: (query = {}) => readExchangePages(query, (cursor, limit) => queries.exchangePage(query, cursor, limit)),
    close: async () => {
      db.close();
    },
  };
}
