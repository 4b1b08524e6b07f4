import type { RequestLogLocation } from "../../storage/request-log-location.js";

/** What a scheduled retrain needs, as plain data for a worker thread. */
export interface RetrainJob {
  router: string;
  artifact: string;
  location: RequestLogLocation;
  prices: { id: string; price: { input: number; output: number } }[];
  target?: string;
  margin: number;
  kind: string;
  timeLimitS: number;
  seed: number;
}

/** What the worker reports back. */
export type RetrainJobResult =
  | { ok: true; promoted: boolean; version: string; parent: string | null; reason: string; rows: number; holdout: number }
  | { ok: false; error: string };
