import type { RequestLogRecord } from "../request-log-store.js";

/** The first record of each id, in order, and the ids of the later ones (a batch insert must not hold an id twice). */
export function firstById(records: readonly RequestLogRecord[]): { first: RequestLogRecord[]; duplicates: string[] } {
  const seen = new Set<string>();
  const first: RequestLogRecord[] = [];
  const duplicates: string[] = [];
  for (const record of records) {
    if (seen.has(record.id)) duplicates.push(record.id);
    else {
      seen.add(record.id);
      first.push(record);
    }
  }
  return { first, duplicates };
}
