import type OpenAI from "openai";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

/** Short deadlines so every fault scenario settles in well under a second. */
export const FAULT_TIMEOUTS = { requestMs: 4_000, attemptMs: 400, firstTokenMs: 150, idleStreamMs: 150 };

/**
 * The test gateway with short deadlines and a third model, `prefill` (upstream sim-prefill,
 * declares assistant-prefill support), used as the continuation target by `rightsize/prefill`.
 * Routers: `rightsize/small-first` (small → large), `rightsize/prefill` (small → prefill).
 */
export function startFaultGateway(): Promise<TestGateway> {
  return startTestGateway({
    edit: (config, simBaseUrl) => {
      config.server = { ...config.server, timeouts: FAULT_TIMEOUTS };
      config.retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 3_000 };
      // Scenarios share one gateway: keep circuits closed so one test's failures do not shape the next
      // (the breaker has its own test, flapping-primary-opens-and-closes-breaker).
      config.breaker = { failureThreshold: 1_000 };
      config.models.push({
        id: "prefill",
        provider: "openai-compatible",
        model: "sim-prefill",
        baseUrl: simBaseUrl,
        apiKey: "sk-upstream-secret-0123456789abcdef",
        price: { input: 1, output: 2 },
        tier: "medium",
        contextWindow: 32000,
        assistantPrefill: true,
      });
      config.routers = [...(config.routers ?? []), { id: "rightsize/prefill", kind: "fixed", targets: ["small"], fallbacks: ["prefill"] }];
    },
  });
}

export interface StreamOutcome {
  text: string;
  finishReason: string | null;
  /** The error the client saw (an error frame or a failed request), if any. */
  error: { status?: number; code?: string | null; message: string } | null;
  usage: OpenAI.CompletionUsage | null;
  headers: Headers | null;
}

/** Reads a whole stream with the official client and says how it ended. */
export async function readStream(client: OpenAI, model: string, content = "hello"): Promise<StreamOutcome> {
  const outcome: StreamOutcome = { text: "", finishReason: null, error: null, usage: null, headers: null };
  try {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: "user", content }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    outcome.headers = response.headers;
    for await (const chunk of data) {
      outcome.text += chunk.choices[0]?.delta.content ?? "";
      outcome.finishReason = chunk.choices[0]?.finish_reason ?? outcome.finishReason;
      if (chunk.usage) outcome.usage = chunk.usage;
    }
  } catch (thrown) {
    const e = thrown as { status?: number; code?: string | null; message?: string };
    outcome.error = { status: e.status, code: e.code, message: String(e.message) };
  }
  return outcome;
}

/**
 * The stream pass criterion of the fault suite: the client got ONE complete answer (finish
 * reason and no error) or an error — never a truncated answer that looks complete.
 */
export function assertCompleteOrError(outcome: StreamOutcome, fullText?: string): "complete" | "error" {
  if (outcome.error) {
    if (outcome.finishReason !== null) throw new Error(`error after a finish reason: ${JSON.stringify(outcome)}`);
    return "error";
  }
  if (outcome.finishReason === null) throw new Error(`stream closed without finish reason or error: ${JSON.stringify(outcome)}`);
  if (fullText !== undefined && outcome.text !== fullText) {
    throw new Error(`answer differs from the full answer:\n got: ${outcome.text}\nwant: ${fullText}`);
  }
  return "complete";
}
