import type { CostSummary, ModelCostRow, RequestLogQuery, RequestLogRecord, KeyCostRow } from "./request-log-store.js";

/** The label cost summaries use for requests no model served. */
export const NO_MODEL = "(none)";

/** Default number of records `list` returns. */
export const DEFAULT_LIST_LIMIT = 100;

export function matchesQuery(record: RequestLogRecord, query: RequestLogQuery): boolean {
  if (query.since !== undefined && record.time < query.since) return false;
  if (query.model !== undefined && record.model !== query.model) return false;
  if (query.callerId !== undefined && record.callerId !== query.callerId) return false;
  return true;
}

/** A request a model answered (status 200 and a serving model): what exports read. */
export function isServed(record: RequestLogRecord): boolean {
  return record.status === 200 && record.model !== null;
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

/** Cost summary of records: request totals, and per model its served requests and its attempts' tokens and cost (most expensive first, then by name). */
export function summarizeCost(records: Iterable<RequestLogRecord>): CostSummary {
  const byModel = new Map<string, ModelCostRow>();
  const rowOf = (model: string): ModelCostRow => {
    let row = byModel.get(model);
    if (!row) {
      row = { model, requests: 0, attempts: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
      byModel.set(model, row);
    }
    return row;
  };
  const summary: CostSummary = { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, byModel: [], byKey: [] };
  const byKey = new Map<string, KeyCostRow>();
  for (const record of records) {
    const key = record.callerId ?? NO_KEY;
    let keyRow = byKey.get(key);
    if (!keyRow) byKey.set(key, (keyRow = { key, requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 }));
    keyRow.requests += 1;
    keyRow.promptTokens += record.promptTokens;
    keyRow.completionTokens += record.completionTokens;
    keyRow.costUsd += record.costUsd;
    summary.requests += 1;
    summary.promptTokens += record.promptTokens;
    summary.completionTokens += record.completionTokens;
    summary.costUsd += record.costUsd;
    rowOf(record.model ?? NO_MODEL).requests += 1;
    for (const attempt of record.attempts) {
      const row = rowOf(attempt.model);
      row.attempts += 1;
      row.promptTokens += attempt.usage?.prompt_tokens ?? 0;
      row.completionTokens += attempt.usage?.completion_tokens ?? 0;
      row.costUsd += attempt.costUsd ?? 0;
    }
  }
  summary.byModel = [...byModel.values()].sort(compareCostRows);
  summary.byKey = [...byKey.values()].sort(compareKeyRows);
  return summary;
}

/** The key of requests no client key made. */
export const NO_KEY = "(none)";

/** Dearest first, then by name. */
export function compareKeyRows(a: KeyCostRow, b: KeyCostRow): number {
  return b.costUsd - a.costUsd || a.key.localeCompare(b.key);
}

export function compareCostRows(a: ModelCostRow, b: ModelCostRow): number {
  if (a.costUsd !== b.costUsd) return b.costUsd - a.costUsd;
  return a.model < b.model ? -1 : a.model > b.model ? 1 : 0;
}
