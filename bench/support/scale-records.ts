import type { RequestLogRecord } from "../../src/storage/request-log-store.js";

const prompt = JSON.stringify([
  { role: "system", content: "You are a concise assistant for a support team. Answer in plain English." },
  {
    role: "user",
    content:
      "Our nightly export job started failing after we upgraded the database driver. The error says the connection " +
      "was reset by peer after about thirty seconds. What should we check first, and how do we confirm the cause?",
  },
]);
const answer =
  "Check the idle and statement timeouts first: a reset after a fixed interval usually means a proxy or the server " +
  "closes connections it considers idle. Compare the driver's keep-alive settings before and after the upgrade, then " +
  "reproduce with a single long query while watching the server log for the disconnect reason.";

/** A realistic request row: ~700 characters of prompt and answer, a 429 on the large model, then a fallback that served. */
export function scaleRecord(i: number, run: string): RequestLogRecord {
  return {
    id: `${run}-${i}`,
    time: Date.now(),
    callerId: `team-${i % 16}`,
    requestedModel: "rightsize/auto",
    router: "rightsize/auto",
    score: (i % 100) / 100,
    model: "small",
    reason: "linear: p(small wins) 0.71 ≥ 0.55",
    status: 200,
    error: null,
    attempts: [
      { model: "large", step: "route", outcome: "error", status: 429, error: "rate limited", latencyMs: 12 },
      {
        model: "small",
        step: "fallback",
        outcome: "ok",
        status: 200,
        latencyMs: 420,
        ttftMs: 95,
        usage: { prompt_tokens: 96, completion_tokens: 64, total_tokens: 160 },
        costUsd: 0.0000528,
      },
    ],
    promptTokens: 96,
    completionTokens: 64,
    usageEstimated: false,
    costUsd: 0.0000528,
    ttftMs: 95,
    latencyMs: 440,
    stream: i % 2 === 0,
    finishReason: "stop",
    prompt,
    answer,
  };
}
