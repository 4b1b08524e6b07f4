import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttemptRecord, RequestLogReader, RequestLogStore } from "../../src/storage/request-log-store.js";
import { makeFallbackRecord, makeRecord, makeServedRecord as served } from "./request-log-fixtures.js";

export interface StoreHarness {
  store: RequestLogStore;
  /** Errors the store reported through onError. */
  errors: Error[];
  /** A fresh view of what was stored (the same file reopened, or the same store). */
  reopen(): Promise<RequestLogReader>;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);

/** The behaviour every RequestLogStore implementation must share. */
export function describeRequestLogStoreConformance(name: string, createHarness: () => Promise<StoreHarness>): void {
  describe(`${name} (RequestLogStore conformance)`, () => {
    let harness: StoreHarness;
    beforeEach(async () => {
      harness = await createHarness();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it("round-trips a record with its attempts through append, flush and list", async () => {
      const record = makeFallbackRecord();
      harness.store.append(record);
      await harness.store.flush();
      expect(await harness.store.list()).toEqual([record]);
    });

    it("round-trips every nullable field as null", async () => {
      const record = makeRecord({
        callerId: null,
        router: null,
        score: null,
        model: null,
        reason: null,
        error: null,
        ttftMs: null,
        finishReason: null,
        prompt: null,
        answer: null,
        attempts: [],
        status: 502,
        stream: false,
      });
      harness.store.append(record);
      await harness.store.flush();
      expect(await harness.store.list()).toEqual([record]);
    });

    it("round-trips the error code of a rejected request", async () => {
      const record = makeRecord({
        id: "rejected",
        status: 401,
        error: "Incorrect API key provided.",
        errorCode: "invalid_api_key",
        callerId: null,
        router: null,
        score: null,
        model: null,
        reason: null,
        attempts: [],
        prompt: null,
        answer: null,
      });
      harness.store.append(record);
      await harness.store.flush();
      expect(await harness.store.list()).toEqual([record]);
      expect((await harness.store.list())[0]?.errorCode).toBe("invalid_api_key");
    });

    it("counts the records appended", async () => {
      for (let i = 0; i < 7; i++) harness.store.append(makeRecord({ id: `r${i}` }));
      await harness.store.flush();
      expect(await harness.store.count()).toBe(7);
    });

    it("lists newest first, ties by id descending, honouring limit", async () => {
      harness.store.append(makeRecord({ id: "a", time: T0 }));
      harness.store.append(makeRecord({ id: "c", time: T0 + 2000 }));
      harness.store.append(makeRecord({ id: "b", time: T0 + 1000 }));
      harness.store.append(makeRecord({ id: "d", time: T0 + 1000 }));
      await harness.store.flush();
      expect((await harness.store.list()).map((r) => r.id)).toEqual(["c", "d", "b", "a"]);
      expect((await harness.store.list({ limit: 2 })).map((r) => r.id)).toEqual(["c", "d"]);
    });

    it("filters by since (inclusive) and by served model", async () => {
      harness.store.append(makeRecord({ id: "old", time: T0 - 1, model: "small" }));
      harness.store.append(makeRecord({ id: "edge", time: T0, model: "large" }));
      harness.store.append(makeRecord({ id: "new", time: T0 + 5, model: "small" }));
      await harness.store.flush();
      expect((await harness.store.list({ since: T0 })).map((r) => r.id)).toEqual(["new", "edge"]);
      expect((await harness.store.list({ model: "small" })).map((r) => r.id)).toEqual(["new", "old"]);
      expect((await harness.store.list({ model: "small", since: T0 })).map((r) => r.id)).toEqual(["new"]);
    });

    it("summarizes cost by model, most expensive first, with filters", async () => {
      harness.store.append(served({ id: "1", model: "small", promptTokens: 100, completionTokens: 10, costUsd: 0.001 }));
      harness.store.append(served({ id: "2", model: "small", promptTokens: 200, completionTokens: 20, costUsd: 0.002 }));
      harness.store.append(served({ id: "3", model: "large", promptTokens: 10, completionTokens: 5, costUsd: 0.05, time: T0 + 10 }));
      harness.store.append(
        makeRecord({ id: "4", model: null, attempts: [], promptTokens: 0, completionTokens: 0, costUsd: 0, status: 502 }),
      );
      await harness.store.flush();
      const summary = await harness.store.costSummary();
      expect(summary).toMatchObject({ requests: 4, promptTokens: 310, completionTokens: 35 });
      expect(summary.costUsd).toBeCloseTo(0.053, 12);
      expect(summary.byModel.map((row) => row.model)).toEqual(["large", "small", "(none)"]);
      expect(summary.byModel[1]).toMatchObject({ model: "small", requests: 2, attempts: 2, promptTokens: 300, completionTokens: 30 });
      expect(summary.byModel[1]?.costUsd).toBeCloseTo(0.003, 12);
      expect(summary.byModel[2]).toMatchObject({ model: "(none)", requests: 1, attempts: 0, costUsd: 0 });
      const recent = await harness.store.costSummary({ since: T0 + 1 });
      expect(recent.requests).toBe(1);
      expect(recent.byModel.map((row) => row.model)).toEqual(["large"]);
      expect((await harness.store.costSummary({ model: "small" })).requests).toBe(2);
    });

    it("summarizes cost by client key, dearest first, with requests without a key as (none)", async () => {
      harness.store.append(
        served({ id: "k1", model: "small", promptTokens: 100, completionTokens: 10, costUsd: 0.001, callerId: "key_team" }),
      );
      harness.store.append(
        served({ id: "k2", model: "large", promptTokens: 10, completionTokens: 5, costUsd: 0.05, callerId: "key_team" }),
      );
      harness.store.append(
        served({ id: "k3", model: "small", promptTokens: 200, completionTokens: 20, costUsd: 0.002, callerId: "key_batch" }),
      );
      harness.store.append(served({ id: "k4", model: "small", promptTokens: 1, completionTokens: 1, costUsd: 0.0001, callerId: null }));
      await harness.store.flush();
      const { byKey } = await harness.store.costSummary();
      expect(byKey.map((row) => row.key)).toEqual(["key_team", "key_batch", "(none)"]);
      expect(byKey[0]).toMatchObject({ key: "key_team", requests: 2, promptTokens: 110, completionTokens: 15 });
      expect(byKey[0]?.costUsd).toBeCloseTo(0.051, 12);
      expect(byKey[2]).toMatchObject({ key: "(none)", requests: 1 });
    });

    it("charges a failed attempt's tokens and cost to the model that made it, not to the one that served", async () => {
      const failed: AttemptRecord = {
        model: "small",
        step: "route",
        outcome: "error",
        partial: true,
        latencyMs: 50,
        ttftMs: 10,
        usage: { prompt_tokens: 100, completion_tokens: 40, total_tokens: 140 },
        costUsd: 0.001,
      };
      const rescued: AttemptRecord = {
        model: "large",
        step: "continuation",
        outcome: "ok",
        status: 200,
        latencyMs: 300,
        ttftMs: 90,
        usage: { prompt_tokens: 140, completion_tokens: 60, total_tokens: 200 },
        costUsd: 0.05,
      };
      harness.store.append(
        makeRecord({
          id: "failover",
          model: "large",
          attempts: [failed, rescued],
          promptTokens: 240,
          completionTokens: 100,
          costUsd: 0.051,
        }),
      );
      await harness.store.flush();
      const summary = await harness.store.costSummary();
      expect(summary).toMatchObject({ requests: 1, promptTokens: 240, completionTokens: 100 });
      expect(summary.costUsd).toBeCloseTo(0.051, 12);
      const [large, small] = summary.byModel;
      expect(large).toMatchObject({ model: "large", requests: 1, attempts: 1, promptTokens: 140, completionTokens: 60 });
      expect(large?.costUsd).toBeCloseTo(0.05, 12);
      expect(small).toMatchObject({ model: "small", requests: 0, attempts: 1, promptTokens: 100, completionTokens: 40 });
      expect(small?.costUsd).toBeCloseTo(0.001, 12);
    });

    it("sees records appended but not yet flushed when listing", async () => {
      harness.store.append(makeRecord({ id: "unflushed" }));
      expect((await harness.store.list()).map((r) => r.id)).toEqual(["unflushed"]);
    });

    it("writes everything appended before close, without a flush", async () => {
      for (let i = 0; i < 25; i++) harness.store.append(makeRecord({ id: `c${i}` }));
      await harness.store.close();
      const reader = await harness.reopen();
      expect(await reader.count()).toBe(25);
      await reader.close();
    });

    it("reports (and does not store) a record appended after close", async () => {
      await harness.store.close();
      harness.store.append(makeRecord({ id: "late" }));
      expect(harness.errors.map((e) => e.message).join("\n")).toMatch(/late was not logged/);
      const reader = await harness.reopen();
      expect(await reader.count()).toBe(0);
      await reader.close();
    });

    it("keeps the first of two records with the same id and reports the second", async () => {
      harness.store.append(makeRecord({ id: "dup", answer: "first" }));
      harness.store.append(makeRecord({ id: "dup", answer: "second" }));
      await harness.store.flush();
      const records = await harness.store.list();
      expect(records.map((r) => r.answer)).toEqual(["first"]);
      expect(harness.errors).toHaveLength(1);
      expect(harness.errors[0]?.message).toMatch(/dup/);
    });
  });
}
