import type { CostSummary, ModelCostRow, RequestLogQuery, RequestLogRecord } from "./request-log-store.js";

/** The label cost summaries use for requests no model served. */
export const NO_MODEL = "(none)";

/** Default number of records `list` returns. */
export const DEFAULT_LIST_LIMIT = 100;

export function matchesQuery(record: RequestLogRecord, query: RequestLogQuery): boolean {
  if (query.since !== undefined && record.time < query.since) return false;
  if (query.model !== undefined && record.model !== query.model) return false;
  return true;
}

/** Newest first; ties broken by id descending, the order both stores agree on. */
export function compareNewestFirst(a: RequestLogRecord, b: RequestLogRecord): number {
  if (a.time !== b.time) return b.time - a.time;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function listLimit(query: RequestLogQuery): number {
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  return limit;
}

/** Cost summary of records (by served model, most expensive first, then by name). */
export function summarizeCost(records: Iterable<RequestLogRecord>): CostSummary {
  const byModel = new Map<string, ModelCostRow>();
  let requests = 0;
  let costUsd = 0;
  for (const record of records) {
    requests += 1;
    costUsd += record.costUsd;
    const model = record.model ?? NO_MODEL;
    let row = byModel.get(model);
    if (!row) {
      row = { model, requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
      byModel.set(model, row);
    }
    row.requests += 1;
    row.promptTokens += record.promptTokens;
    row.completionTokens += record.completionTokens;
    row.costUsd += record.costUsd;
  }
  return { requests, costUsd, byModel: [...byModel.values()].sort(compareCostRows) };
}

export function compareCostRows(a: ModelCostRow, b: ModelCostRow): number {
  if (a.costUsd !== b.costUsd) return b.costUsd - a.costUsd;
  return a.model < b.model ? -1 : a.model > b.model ? 1 : 0;
}
