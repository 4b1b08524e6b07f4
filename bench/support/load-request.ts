import type { Pool } from "undici";

/** How one request ended, as the client saw it. */
export type LoadOutcome =
  /** A complete answer (finish reason; for streams also [DONE] and no error frame). */
  | "completed"
  /** An OpenAI-shaped error: a 4xx/5xx body, or an SSE error frame with no finish reason. */
  | "clean-error"
  /** A stream that claimed to finish but whose answer is cut short (must never happen). */
  | "truncated"
  /** No usable ending: connection error, client timeout, unparseable body, silent close. */
  | "lost";

export interface LoadResult {
  id: string;
  outcome: LoadOutcome;
  ms: number;
  /** x-rightsize-attempts at header time; replaced by the request log's count after the run. */
  attempts: number;
  detail?: string;
}

/** Ends of the two answer texts the load simulator sends (short default, 80-token faulty one). */
const COMPLETE_ENDINGS = ["simulator.", "word79"];

/** One chat request (to the gateway, or `direct` to the simulator with faults switched off). */
export async function loadRequest(pool: Pool, id: string, stream: boolean, direct = false): Promise<LoadResult> {
  const body = JSON.stringify({
    model: direct ? "sim-small" : "rightsize/load",
    messages: [{ role: "user", content: `request ${id}: say hello` }],
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
  const started = performance.now();
  try {
    const response = await pool.request({
      method: "POST",
      path: "/v1/chat/completions",
      headers: direct
        ? { "content-type": "application/json", authorization: "Bearer sk-load", "x-sim-scenario": "ok" }
        : { "content-type": "application/json", "x-request-id": id },
      body,
    });
    const text = await response.body.text();
    const ms = performance.now() - started;
    const attempts = direct ? 1 : Number(response.headers["x-rightsize-attempts"] ?? 0);
    if (response.statusCode !== 200)
      return {
        id,
        outcome: isErrorBody(text) ? "clean-error" : "lost",
        ms,
        attempts,
        detail: `${response.statusCode} ${text.slice(0, 120)}`,
      };
    return { id, ...(stream ? classifyStream(text) : classifyJson(text)), ms, attempts };
  } catch (error) {
    return {
      id,
      outcome: "lost",
      ms: performance.now() - started,
      attempts: 0,
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

function isErrorBody(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === "string";
  } catch {
    return false;
  }
}

function classifyJson(text: string): { outcome: LoadOutcome; detail?: string } {
  try {
    const parsed = JSON.parse(text) as { choices?: { finish_reason?: string | null; message?: { content?: string | null } }[] };
    const choice = parsed.choices?.[0];
    if (!choice?.finish_reason) return { outcome: "lost", detail: `no finish reason: ${text.slice(0, 120)}` };
    return complete(choice.message?.content ?? "")
      ? { outcome: "completed" }
      : { outcome: "truncated", detail: choice.message?.content ?? "" };
  } catch {
    return { outcome: "lost", detail: `unparseable JSON: ${text.slice(0, 120)}` };
  }
}

function classifyStream(sse: string): { outcome: LoadOutcome; detail?: string } {
  let answer = "";
  let finish: string | null = null;
  let errorFrame = false;
  let done = false;
  for (const line of sse.split("\n")) {
    if (!line.startsWith("data: ")) continue;
    const data = line.slice(6);
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    const frame = JSON.parse(data) as { error?: unknown; choices?: { delta?: { content?: string }; finish_reason?: string | null }[] };
    if (frame.error) errorFrame = true;
    const choice = frame.choices?.[0];
    answer += choice?.delta?.content ?? "";
    finish = choice?.finish_reason ?? finish;
  }
  if (errorFrame)
    return finish === null ? { outcome: "clean-error" } : { outcome: "truncated", detail: "error frame after a finish reason" };
  if (!finish || !done) return { outcome: "lost", detail: `stream ended without ${finish ? "[DONE]" : "a finish reason"}` };
  return complete(answer) ? { outcome: "completed" } : { outcome: "truncated", detail: answer.slice(-60) };
}

function complete(answer: string): boolean {
  return COMPLETE_ENDINGS.some((ending) => answer.trimEnd().endsWith(ending));
}
