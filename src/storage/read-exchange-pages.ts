import type { ExchangeQuery, LoggedExchange } from "./request-log-store.js";
/** Where an exchange page starts: after this request (time, id), oldest first. */
export interface ExchangeCursor {
  time: number;
  id: string;
}

/** Default requests per exchange page. */
export const DEFAULT_EXCHANGE_PAGE = 500;

/** Reads exchanges page by page (keyset on time and id) until a short page: memory stays one page. */
export async function* readExchangePages(
  query: ExchangeQuery,
  readPage: (cursor: ExchangeCursor | undefined, limit: number) => Promise<LoggedExchange[]> | LoggedExchange[],
): AsyncIterable<LoggedExchange> {
  const limit = query.pageSize ?? DEFAULT_EXCHANGE_PAGE;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`pageSize must be a positive integer, got ${limit}`);
  let cursor: ExchangeCursor | undefined;
  for (;;) {
    const page = await readPage(cursor, limit);
    yield* page;
    const last = page[page.length - 1];
    if (page.length < limit || !last) return;
    cursor = { time: last.request.time, id: last.request.id };
  }
}
