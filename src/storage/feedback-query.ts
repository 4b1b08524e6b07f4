import type { FeedbackMetricSummary, FeedbackQuery, FeedbackRecord, FeedbackSummary } from "./feedback-record.js";
import type { LoggedExchange } from "./request-log-store.js";
import { listLimit } from "./request-log-query.js";
import type { RequestLogRecord } from "./request-log-store.js";
import type { ShadowQuery, ShadowRecord, ShadowSummary } from "./shadow-record.js";

/** What a feedback value is about: one request or one episode, and the metric. */
export function feedbackKey(record: Pick<FeedbackRecord, "requestId" | "episodeId" | "metric">): string {
  return record.requestId !== null
    ? `r\u0000${record.requestId}\u0000${record.metric}`
    : `e\u0000${record.episodeId}\u0000${record.metric}`;
}

/**
 * The current value per target and metric of records given in the order they were stored:
 * a later record supersedes an earlier one for the same target and metric. Keeps that order.
 */
export function currentFeedback(records: readonly FeedbackRecord[]): FeedbackRecord[] {
  const last = new Map<string, number>();
  records.forEach((record, index) => {
    last.set(feedbackKey(record), index);
  });
  return records.filter((record, index) => last.get(feedbackKey(record)) === index);
}

export function matchesFeedbackQuery(record: FeedbackRecord, query: FeedbackQuery): boolean {
  if (query.requestId !== undefined && record.requestId !== query.requestId) return false;
  if (query.episodeId !== undefined && record.episodeId !== query.episodeId) return false;
  if (query.metric !== undefined && record.metric !== query.metric) return false;
  if (query.since !== undefined && record.time < query.since) return false;
  return true;
}

/** A query's records (given in stored order): filtered, current only unless `history`, limited. Stored order. */
export function selectFeedback(records: readonly FeedbackRecord[], query: FeedbackQuery): FeedbackRecord[] {
  const matching = records.filter((record) => matchesFeedbackQuery(record, query));
  const selected = query.history ? matching : currentFeedback(matching);
  return selected.slice(0, listLimit(query));
}

/** A feedback value as a number in [0, 1] (booleans 0/1); undefined for a label. */
export function numericFeedback(value: FeedbackRecord["value"]): number | undefined {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  return undefined;
}

/** Summary of feedback records given in stored order (superseded ones are counted as records only). */
export function summarizeFeedback(records: readonly FeedbackRecord[]): FeedbackSummary {
  const current = currentFeedback(records);
  const byMetric = new Map<string, FeedbackMetricSummary & { sum: number; numeric: number }>();
  for (const record of current) {
    let row = byMetric.get(record.metric);
    if (!row) {
      row = { metric: record.metric, count: 0, mean: null, labels: {}, bySource: {}, demonstrations: 0, sum: 0, numeric: 0 };
      byMetric.set(record.metric, row);
    }
    row.count += 1;
    const numeric = numericFeedback(record.value);
    if (numeric === undefined) row.labels[record.value as string] = (row.labels[record.value as string] ?? 0) + 1;
    else {
      row.sum += numeric;
      row.numeric += 1;
    }
    row.bySource[record.source] = (row.bySource[record.source] ?? 0) + 1;
    if (record.demonstration !== null) row.demonstrations += 1;
  }
  const metrics = [...byMetric.values()]
    .sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0))
    .map(({ sum, numeric, ...row }) => ({ ...row, mean: numeric > 0 ? sum / numeric : null }));
  return { records: records.length, current: current.length, metrics };
}

export function matchesShadowQuery(record: ShadowRecord, query: ShadowQuery): boolean {
  if (query.requestId !== undefined && record.requestId !== query.requestId) return false;
  if (query.since !== undefined && record.time < query.since) return false;
  return true;
}

export function emptyShadowSummary(): ShadowSummary {
  return {
    judgments: 0,
    unparseable: 0,
    failed: 0,
    byDirection: { up: 0, down: 0 },
    shadowCostUsd: 0,
    judgeCostUsd: 0,
    costUsd: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
}

export function summarizeShadow(records: Iterable<ShadowRecord>): ShadowSummary {
  const summary = emptyShadowSummary();
  for (const record of records) {
    summary.judgments += 1;
    if (record.unparseable) summary.unparseable += 1;
    if (record.error !== null) summary.failed += 1;
    summary.byDirection[record.direction] += 1;
    summary.shadowCostUsd += record.shadowCostUsd;
    summary.judgeCostUsd += record.judgeCostUsd;
    summary.promptTokens += record.promptTokens;
    summary.completionTokens += record.completionTokens;
  }
  summary.costUsd = summary.shadowCostUsd + summary.judgeCostUsd;
  return summary;
}

/** A shadow summary from SQL totals (`up`/`down` counts as columns). */
export function shadowSummaryFromTotals(row: Record<string, number>): ShadowSummary {
  const num = (key: string) => Number(row[key] ?? 0);
  const shadowCostUsd = num("shadowCostUsd");
  const judgeCostUsd = num("judgeCostUsd");
  return {
    judgments: num("judgments"),
    unparseable: num("unparseable"),
    failed: num("failed"),
    byDirection: { up: num("up"), down: num("down") },
    shadowCostUsd,
    judgeCostUsd,
    costUsd: shadowCostUsd + judgeCostUsd,
    promptTokens: num("promptTokens"),
    completionTokens: num("completionTokens"),
  };
}

/** Requests of a page with their current feedback (own and episode's) and shadow judgments, in the requests' order. */
export function joinExchanges(
  requests: readonly RequestLogRecord[],
  own: readonly FeedbackRecord[],
  ofEpisodes: readonly FeedbackRecord[],
  shadows: readonly ShadowRecord[],
): LoggedExchange[] {
  const group = <T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const k = key(item);
      if (k === null) continue;
      let list = map.get(k);
      if (!list) map.set(k, (list = []));
      list.push(item);
    }
    return map;
  };
  const byRequest = group(own, (record) => record.requestId);
  const byEpisode = group(ofEpisodes, (record) => record.episodeId);
  const shadowsByRequest = group(shadows, (record) => record.requestId);
  return requests.map((request) => ({
    request,
    feedback: byRequest.get(request.id) ?? [],
    episodeFeedback: request.episodeId === undefined ? [] : (byEpisode.get(request.episodeId) ?? []),
    shadows: shadowsByRequest.get(request.id) ?? [],
  }));
}
