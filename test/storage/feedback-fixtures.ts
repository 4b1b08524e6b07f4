import type { FeedbackRecord } from "../../src/storage/feedback-record.js";
import type { ShadowRecord } from "../../src/storage/shadow-record.js";

const T0 = Date.UTC(2026, 10, 27, 11, 0, 0);

/** A complete feedback record on request `req-1`; every field can be overridden. */
export function makeFeedback(overrides: Partial<FeedbackRecord> = {}): FeedbackRecord {
  return {
    id: "fb-1",
    requestId: "req-1",
    episodeId: null,
    metric: "helpful",
    value: true,
    comment: null,
    demonstration: null,
    source: "user",
    callerId: "team-a",
    time: T0,
    ...overrides,
  };
}

/** A complete shadow judgment of request `req-1` (large served, small shadowed); every field can be overridden. */
export function makeShadow(overrides: Partial<ShadowRecord> = {}): ShadowRecord {
  return {
    id: "sh-1",
    requestId: "req-1",
    router: "rightsize/auto",
    servedModel: "large",
    shadowModel: "small",
    direction: "down",
    judgeKind: "pairwise",
    judgeModel: "judge",
    verdict: "A: [[B]] | B: [[A]]",
    score: 0.5,
    servedScore: 0.5,
    unparseable: false,
    shadowAnswer: "a small answer",
    error: null,
    shadowCostUsd: 0.0001,
    judgeCostUsd: 0.002,
    promptTokens: 300,
    completionTokens: 40,
    time: T0 + 500,
    ...overrides,
  };
}
