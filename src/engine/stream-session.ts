import type { FinishReason } from "../core/chat-result.js";
import { ClientAbortError, InvalidRequestError, StreamInterruptedError, toRightsizeError, type RightsizeError } from "../core/errors.js";
import type { LanguageModel } from "../core/language-model.js";
import type { StreamPart } from "../core/stream-part.js";
import { makeUsage, type Usage } from "../core/usage.js";
import type { ChatResult } from "../core/chat-result.js";
import type { AttemptHandle } from "./attempt-handle.js";
import { continuationRequest, overlapLength } from "./continuation-request.js";
import { openStreamAttempt, type OpenedStream, type StreamTimeouts } from "./open-stream-attempt.js";
import type { RequestRun } from "./request-run.js";
import { runAttempts, type AttemptEnvironment, type AttemptSuccess } from "./run-attempts.js";
import { StreamedToolCalls } from "./streamed-tool-calls.js";

/** Characters of a continuation held back to drop words it repeats from the partial answer. */
const OVERLAP_WINDOW = 64;

export interface StreamSessionOptions {
  candidates: readonly LanguageModel[];
  env: AttemptEnvironment;
  timeouts(modelId: string): StreamTimeouts;
  /** false: a JSON request's whole answer is relayed (no time to first token in its log row). */
  stream: boolean;
}

/**
 * Relays an opened stream to the client and, when it breaks after the first byte, finishes
 * the answer with another model: the partial answer goes back as an assistant prefix (or a
 * continuation prompt) and the rest is spliced into the same stream. Ends with one `usage`
 * part: the served answer's, summed over the attempts whose parts it relayed (a held cascade
 * tier that was abandoned, a gate's call or a failure before the first byte is in the log, not
 * in the answer's usage). When nothing can continue, throws the error (the server
 * turns it into an error frame): never a truncated answer that looks complete.
 */
export async function* streamSession(
  run: RequestRun,
  opened: AttemptSuccess<OpenedStream>,
  options: StreamSessionOptions,
): AsyncGenerator<StreamPart> {
  let current = opened;
  let text = "";
  let sentToolCalls = false;
  let toolCalls: StreamedToolCalls | undefined;
  let finishReason: FinishReason | null = null;
  let ttftMs: number | null = null;
  let trimPending = 0;
  let pendingOverlap = "";
  let multiChoice = false;
  let finished = false;
  const served: AttemptHandle[] = [];
  try {
    for (;;) {
      served.push(current.attempt);
      current.controller.clearTimeout();
      let usage: Usage | undefined;
      let attemptText = "";
      const pull = new PartReader(current.value);
      try {
        for (;;) {
          let part: StreamPart;
          if (pull.hasBuffered()) part = pull.takeBuffered();
          else {
            const next = await current.value.iterator.next();
            if (next.done) break;
            part = next.value;
          }
          if (part.type === "usage") {
            usage = part.usage;
            continue;
          }
          if (part.type === "start" && current !== opened) continue;
          if (part.type === "text-delta") {
            if (part.choice !== 0) multiChoice = true;
            attemptText += part.text;
            if (trimPending > 0) {
              pendingOverlap += part.text;
              if (pendingOverlap.length < trimPending) continue;
              const cut = overlapLength(text, pendingOverlap);
              const rest = pendingOverlap.slice(cut);
              trimPending = 0;
              pendingOverlap = "";
              if (!rest) continue;
              text += rest;
              yield { ...part, text: rest };
              continue;
            }
            if (part.choice === 0) text += part.text;
          } else if (part.type === "tool-call-delta") {
            sentToolCalls = true;
            if (part.choice === 0) (toolCalls ??= new StreamedToolCalls()).add(part);
          } else if (part.type === "finish" && part.choice === 0) {
            finishReason = part.finishReason;
          } else if (part.type === "finish") {
            multiChoice = true;
          }
          if (ttftMs === null && part.type !== "start" && options.stream) ttftMs = run.elapsedMs();
          yield part;
        }
        if (pendingOverlap) {
          text += pendingOverlap;
          yield { type: "text-delta", choice: 0, text: pendingOverlap };
          pendingOverlap = "";
        }
        current.attempt.succeed({ usage, text: attemptText });
        current.controller.dispose();
        break;
      } catch (thrown) {
        current.controller.dispose();
        const error = toRightsizeError(thrown);
        if (finishReason !== null && !multiChoice && !run.state.signal.aborted) {
          // The answer was complete; only the stream's ending was unclean (e.g. no [DONE]).
          current.attempt.note(`stream ended uncleanly after finish: ${error.message}`);
          current.attempt.succeed({ usage, text: attemptText });
          break;
        }
        markFailed(run, options.env, current, error, usage, attemptText);
        if (run.state.signal.aborted) throw toRightsizeError(run.state.signal.reason);
        if (sentToolCalls || multiChoice) {
          throw new StreamInterruptedError(`the answer from ${current.model.id} broke off and cannot be continued: ${error.message}`);
        }
        current = await continueElsewhere(run, options, current.model, text, error);
        trimPending = OVERLAP_WINDOW;
      }
    }
    yield { type: "usage", usage: sumUsage(served) };
    finished = true;
    const whole = current.value.result;
    run.finish({
      status: 200,
      model: current.model,
      finishReason,
      answer: whole ? wholeAnswerText(whole) : withToolCalls(text, toolCalls),
      ttftMs,
    });
  } catch (thrown) {
    const error = toRightsizeError(thrown);
    finished = true;
    run.finish({ status: error.status, error, model: current.model, finishReason, answer: text, ttftMs });
    throw error;
  } finally {
    if (!finished) {
      // The consumer stopped early: the client went away.
      run.finish({ status: 499, error: new ClientAbortError(), model: current.model, finishReason, answer: text, ttftMs });
    }
    current.controller.dispose();
    void current.value.iterator.return?.().catch(() => undefined);
  }
}

/** The usage of the attempts that made the answer, with their prompt-cache reads when reported. */
function sumUsage(attempts: readonly AttemptHandle[]): Usage {
  let prompt = 0;
  let completion = 0;
  let estimated = false;
  let cached: number | undefined;
  for (const attempt of attempts) {
    const usage = attempt.record.usage;
    if (!usage) continue;
    prompt += usage.prompt_tokens;
    completion += usage.completion_tokens;
    estimated ||= Boolean(usage.estimated);
    const reads = usage.prompt_tokens_details?.cached_tokens;
    if (reads !== undefined) cached = (cached ?? 0) + reads;
  }
  const total = makeUsage(prompt, completion, estimated);
  if (cached !== undefined) total.prompt_tokens_details = { cached_tokens: Math.min(cached, prompt) };
  return total;
}

/** The parts pulled while a stream was opened, handed out before the upstream iterator is read. */
class PartReader {
  private index = 0;

  constructor(private readonly opened: OpenedStream) {}

  hasBuffered(): boolean {
    return this.index < this.opened.head.length;
  }

  takeBuffered(): StreamPart {
    return this.opened.head[this.index++] as StreamPart;
  }
}

function markFailed(
  run: RequestRun,
  env: AttemptEnvironment,
  attempt: AttemptSuccess<OpenedStream>,
  error: RightsizeError,
  usage: Usage | undefined,
  text: string,
): void {
  const aborted = run.state.signal.aborted;
  attempt.attempt.fail(error, aborted, { usage, text });
  if (!aborted) env.breaker(attempt.model.id).onFailure();
}

/** A whole answer as the log keeps it: its text, then its tool calls as JSON. */
/** The log's form of an answer: its text, then its tool calls as JSON on the next line (as `wholeAnswerText`). */
function withToolCalls(text: string, calls: StreamedToolCalls | undefined): string {
  const list = calls?.list();
  return list && list.length > 0 ? `${text}${text ? "\n" : ""}${JSON.stringify(list)}` : text;
}

function wholeAnswerText(result: ChatResult): string {
  const message = result.choices[0]?.message;
  if (!message) return "";
  const text = message.content ?? "";
  return message.tool_calls ? `${text}${text ? "\n" : ""}${JSON.stringify(message.tool_calls)}` : text;
}

/** Opens a continuation of `partial` on another model (the broken one last). */
async function continueElsewhere(
  run: RequestRun,
  options: StreamSessionOptions,
  broken: LanguageModel,
  partial: string,
  cause: RightsizeError,
): Promise<AttemptSuccess<OpenedStream>> {
  const order = [...options.candidates.filter((m) => m.id !== broken.id), broken];
  try {
    return await runAttempts(order, run, "continuation", options.env, async (model, signal) => {
      const timeouts = options.timeouts(model.id);
      if (!model.capabilities.assistantPrefill) {
        return openStreamAttempt(model, continuationRequest(run.request, partial, false), signal, timeouts);
      }
      try {
        return await openStreamAttempt(model, continuationRequest(run.request, partial, true), signal, timeouts);
      } catch (error) {
        if (!(error instanceof InvalidRequestError) || signal.aborted) throw error;
        return openStreamAttempt(model, continuationRequest(run.request, partial, false), signal, timeouts);
      }
    });
  } catch (error) {
    const final = toRightsizeError(error);
    throw new StreamInterruptedError(`the answer broke off (${cause.message}) and no model could continue it: ${final.message}`, {
      cause: final,
    });
  }
}
