import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RequestLogRecord } from "../../src/storage/request-log-store.js";

/** A complete record; every field can be overridden. */
export function makeRecord(overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  return {
    id: "req-1",
    time: Date.UTC(2026, 10, 27, 10, 0, 0),
    callerId: "team-a",
    requestedModel: "rightsize/auto",
    router: "rightsize/auto",
    score: 0.42,
    model: "small",
    reason: "rule 1: short prompt",
    status: 200,
    error: null,
    attempts: [
      {
        model: "small",
        step: "route",
        outcome: "ok",
        status: 200,
        latencyMs: 120,
        ttftMs: 40,
        usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
        costUsd: 0.00003,
      },
    ],
    promptTokens: 100,
    completionTokens: 20,
    usageEstimated: false,
    costUsd: 0.00003,
    ttftMs: 40,
    latencyMs: 130,
    stream: true,
    finishReason: "stop",
    prompt: JSON.stringify([{ role: "user", content: "hello" }]),
    answer: "hi there",
    ...overrides,
  };
}

/** A record with two attempts: a 429 on the big model, then a fallback that served. */
export function makeFallbackRecord(overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  return makeRecord({
    id: "req-fallback",
    model: "medium",
    attempts: [
      { model: "large", step: "route", outcome: "error", status: 429, error: "rate limited", latencyMs: 15 },
      {
        model: "medium",
        step: "fallback",
        outcome: "ok",
        status: 200,
        latencyMs: 300,
        ttftMs: 90,
        usage: {
          prompt_tokens: 50,
          completion_tokens: 10,
          total_tokens: 60,
          estimated: true,
          prompt_tokens_details: { cached_tokens: 8 },
        },
        costUsd: 0.0002,
        partial: false,
        note: "gate: ok",
      },
    ],
    promptTokens: 50,
    completionTokens: 10,
    usageEstimated: true,
    costUsd: 0.0002,
    ...overrides,
  });
}

export interface TempDir {
  path: string;
  file(name: string): string;
  remove(): void;
}

export function makeTempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), "rightsize-storage-"));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A request served in one attempt on `model`, its tokens and cost those of that attempt. */
export function makeServedRecord(
  overrides: Partial<RequestLogRecord> & { model: string; promptTokens: number; completionTokens: number; costUsd: number },
): RequestLogRecord {
  const { model, promptTokens, completionTokens, costUsd } = overrides;
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  return makeRecord({ ...overrides, attempts: [{ model, step: "route", outcome: "ok", status: 200, latencyMs: 100, usage, costUsd }] });
}
