import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoggedExchange } from "../../src/storage/request-log-store.js";
import { makeFeedback, makeShadow } from "./feedback-fixtures.js";
import type { StoreHarness } from "./request-log-store-conformance.js";
import { makeRecord } from "./request-log-fixtures.js";

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);

async function collect(iterable: AsyncIterable<LoggedExchange>): Promise<LoggedExchange[]> {
  const out: LoggedExchange[] = [];
  for await (const exchange of iterable) out.push(exchange);
  return out;
}

/** Identity, feedback and shadow judgments: the behaviour every RequestLogStore shares. */
export function describeFeedbackStoreConformance(name: string, createHarness: () => Promise<StoreHarness>): void {
  describe(`${name} (feedback and shadow conformance)`, () => {
    let harness: StoreHarness;
    beforeEach(async () => {
      harness = await createHarness();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it("round-trips a request's episode id and tags, and leaves them out when absent", async () => {
      const tagged = makeRecord({ id: "tagged", episodeId: "ep-7", tags: ["env=prod", "team=search"] });
      const plain = makeRecord({ id: "plain", time: T0 - 1 });
      harness.store.append(tagged);
      harness.store.append(plain);
      await harness.store.flush();
      const [first, second] = await harness.store.list();
      expect(first).toEqual(tagged);
      expect(second).toEqual(plain);
      expect(second).not.toHaveProperty("episodeId");
      expect(second).not.toHaveProperty("tags");
    });

    it("finds a request by id, also one appended a moment ago and not yet flushed", async () => {
      const record = makeRecord({ id: "fresh", episodeId: "ep-1" });
      harness.store.append(record);
      expect(await harness.store.findRequest("fresh")).toEqual(record);
      expect(await harness.store.findRequest("nope")).toBeUndefined();
    });

    it("finds an episode with its request count and callers", async () => {
      harness.store.append(makeRecord({ id: "a", episodeId: "ep-1", callerId: "team-a" }));
      harness.store.append(makeRecord({ id: "b", episodeId: "ep-1", callerId: "team-b" }));
      harness.store.append(makeRecord({ id: "c", episodeId: "ep-2", callerId: "team-a" }));
      expect(await harness.store.findEpisode("ep-1")).toEqual({ episodeId: "ep-1", requests: 2, callerIds: ["team-a", "team-b"] });
      expect(await harness.store.findEpisode("ep-9")).toBeUndefined();
    });

    it("round-trips feedback of every value kind, for requests and episodes", async () => {
      harness.store.append(makeRecord({ id: "req-1", episodeId: "ep-1" }));
      const records = [
        makeFeedback({ id: "f1", value: true }),
        makeFeedback({ id: "f2", metric: "quality", value: 0.25, comment: "too long", source: "reviewer" }),
        makeFeedback({ id: "f3", metric: "issue", value: "wrong_language", demonstration: "Hallo!", source: "rule", callerId: null }),
        makeFeedback({ id: "f4", requestId: null, episodeId: "ep-1", metric: "task_done", value: false, source: "judge" }),
      ];
      await harness.store.appendFeedback(records);
      expect(await harness.store.listFeedback()).toEqual(records);
      expect(await harness.store.listFeedback({ requestId: "req-1" })).toEqual(records.slice(0, 3));
      expect(await harness.store.listFeedback({ episodeId: "ep-1" })).toEqual([records[3]]);
      const reader = await harness.reopen();
      expect(await reader.listFeedback({ metric: "quality" })).toEqual([records[1]]);
      await reader.close();
    });

    it("lets a later value for the same metric supersede an earlier one and keeps the history", async () => {
      const first = makeFeedback({ id: "f1", value: 0.2, time: T0 });
      const other = makeFeedback({ id: "f2", metric: "tone", value: "rude", time: T0 + 1 });
      const later = makeFeedback({ id: "f3", value: 0.9, time: T0 + 2, source: "reviewer" });
      await harness.store.appendFeedback([first, other]);
      await harness.store.appendFeedback([later]);
      expect(await harness.store.listFeedback({ requestId: "req-1" })).toEqual([other, later]);
      expect(await harness.store.listFeedback({ requestId: "req-1", history: true })).toEqual([first, other, later]);
      const summary = await harness.store.feedbackSummary();
      expect(summary).toMatchObject({ records: 3, current: 2 });
      expect(summary.metrics).toEqual([
        { metric: "helpful", count: 1, mean: 0.9, labels: {}, bySource: { reviewer: 1 }, demonstrations: 0 },
        { metric: "tone", count: 1, mean: null, labels: { rude: 1 }, bySource: { user: 1 }, demonstrations: 0 },
      ]);
    });

    it("stores a feedback batch all together or not at all", async () => {
      await harness.store.appendFeedback([makeFeedback({ id: "f1" })]);
      await expect(
        harness.store.appendFeedback([makeFeedback({ id: "f2", metric: "x" }), makeFeedback({ id: "f1", metric: "y" })]),
      ).rejects.toThrow();
      expect((await harness.store.listFeedback({ history: true })).map((f) => f.id)).toEqual(["f1"]);
    });

    it("round-trips shadow judgments, an unparseable one too, and sums their spend", async () => {
      const judged = makeShadow();
      const unparseable = makeShadow({
        id: "sh-2",
        direction: "up",
        servedModel: "small",
        shadowModel: "large",
        verdict: "I cannot decide.",
        score: null,
        servedScore: null,
        unparseable: true,
        time: judged.time + 1,
      });
      const schema = makeShadow({
        id: "sh-3",
        judgeKind: "json_schema",
        judgeModel: null,
        verdict: null,
        score: 1,
        servedScore: 0,
        judgeCostUsd: 0,
        time: judged.time + 2,
      });
      harness.store.appendShadow(judged);
      harness.store.appendShadow(unparseable);
      harness.store.appendShadow(schema);
      await harness.store.flush();
      expect(await harness.store.listShadow()).toEqual([judged, unparseable, schema]);
      expect(await harness.store.listShadow({ since: judged.time + 1, limit: 1 })).toEqual([unparseable]);
      const summary = await harness.store.shadowSummary();
      expect(summary).toMatchObject({ judgments: 3, unparseable: 1, failed: 0, byDirection: { up: 1, down: 2 }, promptTokens: 900 });
      expect(summary.costUsd).toBeCloseTo(3 * 0.0001 + 2 * 0.002, 12);
      const reader = await harness.reopen();
      expect(await reader.listShadow({ requestId: "req-1" })).toHaveLength(3);
      await reader.close();
    });

    it("reads exchanges oldest first, page by page, with current feedback and shadow judgments", async () => {
      for (let i = 0; i < 5; i++) {
        harness.store.append(makeRecord({ id: `r${i}`, time: T0 + (i % 3) * 1000, episodeId: i < 2 ? "ep-1" : undefined }));
      }
      harness.store.append(makeRecord({ id: "failed", time: T0, status: 502, model: null, attempts: [] }));
      harness.store.append(makeRecord({ id: "old", time: T0 - 10_000 }));
      harness.store.appendShadow(makeShadow({ id: "s1", requestId: "r3" }));
      await harness.store.appendFeedback([
        makeFeedback({ id: "f1", requestId: "r3", value: 0.1 }),
        makeFeedback({ id: "f2", requestId: "r3", value: 0.8, time: T0 + 5 }),
        makeFeedback({ id: "f3", requestId: null, episodeId: "ep-1", metric: "task_done", value: true }),
      ]);
      const exchanges = await collect(harness.store.exchanges({ since: T0, pageSize: 2 }));
      // times: r0 T0, r1 T0+1s, r2 T0+2s, r3 T0, r4 T0+1s → by (time, id)
      expect(exchanges.map((e) => e.request.id)).toEqual(["r0", "r3", "r1", "r4", "r2"]);
      const r3 = exchanges[1];
      expect(r3?.feedback.map((f) => f.id)).toEqual(["f2"]);
      expect(r3?.shadows.map((s) => s.id)).toEqual(["s1"]);
      expect(r3?.episodeFeedback).toEqual([]);
      expect(exchanges[0]?.episodeFeedback.map((f) => f.id)).toEqual(["f3"]);
      expect(exchanges[2]?.episodeFeedback.map((f) => f.id)).toEqual(["f3"]);
      const all = await collect(harness.store.exchanges({ servedOnly: false }));
      expect(all.map((e) => e.request.id)).toEqual(["old", "failed", "r0", "r3", "r1", "r4", "r2"]);
      const reader = await harness.reopen();
      expect((await collect(reader.exchanges({ pageSize: 3 }))).map((e) => e.request.id)).toEqual(["old", "r0", "r3", "r1", "r4", "r2"]);
      await reader.close();
    });
  });
}
