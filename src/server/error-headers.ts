import type { RequestLogRecord } from "../storage/request-log-store.js";

/**
 * The headers of an error answer: the request id always; what was tried and what it cost
 * (`x-rightsize-attempts`, `x-rightsize-cost-usd`, and the router and its score when one decided)
 * when the engine ran the request, else zero attempts at zero cost.
 */
export function errorHeaders(requestId: string, record: RequestLogRecord | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    "x-request-id": requestId,
    "x-rightsize-attempts": String(record?.attempts.length ?? 0),
    "x-rightsize-cost-usd": (record?.costUsd ?? 0).toFixed(8),
  };
  if (record?.router) {
    headers["x-rightsize-router"] = record.router;
    if (record.score !== null) headers["x-rightsize-score"] = record.score.toFixed(4);
  }
  return headers;
}
