import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { findFeedbackTarget } from "../../../src/learning/feedback/find-feedback-target.js";
import { MemoryRequestLogStore } from "../../../src/storage/memory-request-log-store.js";
import { makeRecord } from "../../storage/request-log-fixtures.js";

const target = { requestId: "late", episodeId: null };

describe("finding the request a feedback is for", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps looking while a row is still on its way to the log, flushing between lookups", async () => {
    const store = new MemoryRequestLogStore();
    const flush = vi.fn(async () => {
      if (flush.mock.calls.length === 3) store.append(makeRecord({ id: "late" }));
    });
    const found = findFeedbackTarget(store, target, { waitMs: 1_000, retryMs: 25, flush });
    await vi.advanceTimersByTimeAsync(200);
    await expect(found).resolves.toBe(true);
    expect(flush).toHaveBeenCalledTimes(3);
  });

  it("gives up after waitMs for an id that never arrives", async () => {
    const store = new MemoryRequestLogStore();
    const found = findFeedbackTarget(store, target, { waitMs: 300, retryMs: 25 });
    let settled: boolean | undefined;
    void found.then((value) => {
      settled = value;
    });
    await vi.advanceTimersByTimeAsync(250);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toBe(false);
  });

  it("does not find another caller's request or episode", async () => {
    const store = new MemoryRequestLogStore();
    store.append(makeRecord({ id: "late", callerId: "team-a", episodeId: "ep" }));
    expect(await findFeedbackTarget(store, target, { callerId: "team-b" })).toBe(false);
    expect(await findFeedbackTarget(store, target, { callerId: "team-a" })).toBe(true);
    expect(await findFeedbackTarget(store, { requestId: null, episodeId: "ep" }, { callerId: "team-b" })).toBe(false);
    expect(await findFeedbackTarget(store, { requestId: null, episodeId: "ep" })).toBe(true);
  });
});
