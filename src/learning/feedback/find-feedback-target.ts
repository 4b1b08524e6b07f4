import type { RequestLogReader } from "../../storage/request-log-store.js";
import type { FeedbackInput } from "./parse-feedback-input.js";

export interface FindTargetOptions {
  /** The caller's key id: only its own requests are found. Undefined: every request (no client keys, or an operator's import). */
  callerId?: string;
  /**
   * How long to keep looking for a request that is not stored yet (default 0): its answer may
   * have reached the client a moment before its log row reached the store.
   */
  waitMs?: number;
  /** Pause between lookups (default 25 ms). */
  retryMs?: number;
  /** Makes queued rows durable between lookups (a store's flush). */
  flush?: () => Promise<void>;
}

/**
 * Whether the request or episode a feedback targets exists and is the caller's. A request of
 * another caller is reported as not found, so a key cannot learn which ids exist.
 */
export async function findFeedbackTarget(
  store: Pick<RequestLogReader, "findRequest" | "findEpisode">,
  input: Pick<FeedbackInput, "requestId" | "episodeId">,
  options: FindTargetOptions = {},
): Promise<boolean> {
  const deadline = performance.now() + (options.waitMs ?? 0);
  for (;;) {
    if (await lookUp(store, input, options.callerId)) return true;
    if (performance.now() >= deadline) return false;
    await options.flush?.();
    await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 25));
  }
}

async function lookUp(
  store: Pick<RequestLogReader, "findRequest" | "findEpisode">,
  input: Pick<FeedbackInput, "requestId" | "episodeId">,
  callerId: string | undefined,
): Promise<boolean> {
  if (input.requestId !== null) {
    const request = await store.findRequest(input.requestId);
    return request !== undefined && (callerId === undefined || request.callerId === callerId);
  }
  if (input.episodeId === null) return false;
  const episode = await store.findEpisode(input.episodeId);
  return episode !== undefined && (callerId === undefined || episode.callerIds.includes(callerId));
}
