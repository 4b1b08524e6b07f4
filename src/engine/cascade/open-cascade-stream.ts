import type { ChatRequest } from "../../core/chat-request.js";
import { ContentFilterError, RightsizeError, toRightsizeError } from "../../core/errors.js";
import type { LanguageModel } from "../../core/language-model.js";
import type { StreamPart } from "../../core/stream-part.js";
import { ChildAbortController } from "../child-abort-controller.js";
import { openStreamAttempt, type OpenedStream, type StreamTimeouts } from "../open-stream-attempt.js";
import type { GateVerdict } from "../quality-gates/quality-gate.js";
import type { RequestRun } from "../request-run.js";
import { runAttempts, type AttemptEnvironment, type AttemptSuccess } from "../run-attempts.js";
import { budgetExceeded, latencyLeftMs, noteLatestAttempt, skippedNote, tierTurn, withinLatencyBudget } from "./cascade-budget.js";
import type { CascadeInfo } from "./cascade-info.js";
import { tierRequest, type CascadePlan } from "./cascade-plan.js";
import { gateServices } from "./gate-services.js";
import { clientParts, holdTierStream, withoutLogprobs, type HeldStream } from "./hold-tier-stream.js";

export interface CascadeStreamStart {
  /** The stream to relay (through the stream session, with mid-stream failover). */
  opened: AttemptSuccess<OpenedStream>;
  cascade: CascadeInfo;
  /** Models that may continue the answer if it breaks after release. */
  candidates: LanguageModel[];
}

export interface CascadeStreamDeps {
  env: AttemptEnvironment;
  models: ReadonlyMap<string, LanguageModel>;
  timeouts(modelId: string): StreamTimeouts;
}

interface Best {
  opened: AttemptSuccess<OpenedStream>;
  verdict: GateVerdict;
  tier: number;
}

const finished: AsyncIterator<StreamPart> = { next: async () => ({ done: true, value: undefined }) };

/**
 * A streamed cascade. Every tier but the last is held (nothing reaches the client) until the
 * gate decides: on the whole answer, or on the first tokens when the gate can decide early.
 * A pass releases the held parts (and, after an early pass, the rest of the live stream); a
 * fail abandons the tier and asks the next one. The last tier streams live. So the client
 * only ever sees one answer. Resolves before anything is sent, with the stream to relay.
 */
export async function openCascadeStream(run: RequestRun, plan: CascadePlan, deps: CascadeStreamDeps): Promise<CascadeStreamStart> {
  const { env } = deps;
  const services = gateServices(run, env, deps.models);
  const settings = plan.router.settings;
  const keepLogprobs = run.request.logprobs === true;
  const tiers = plan.tiers.length;
  const earlyAt = plan.gate.earlyTokens === undefined ? undefined : Math.max(plan.gate.earlyTokens, settings.stream.holdTokens ?? 0);
  const holdWindowMs = settings.stream.holdMs;
  /** Opens a tier's stream; a held tier's first token must come within the hold window, counted from `askedAt`. */
  const open = (models: LanguageModel[], last: boolean, askedAt: number) =>
    runAttempts(models, run.state, "cascade", last ? env : withinLatencyBudget(env, run, settings.budget), (model, signal) => {
      const request = tierRequest(run.request, plan, last);
      if (last || holdWindowMs === undefined) return openStreamAttempt(model, request, signal, deps.timeouts(model.id));
      return openWithinHoldWindow(model, request, signal, deps.timeouts(model.id), holdWindowMs - (performance.now() - askedAt));
    });
  let best: Best | undefined;
  let spentBeforeAnswer: string | undefined;
  let askedAfterSpent = false;
  for (let i = 0; i < tiers; i++) {
    const turn = tierTurn(run, settings.budget, i, tiers, { hasAnswer: best !== undefined, askedAfterSpent });
    if (turn.action === "serve-best" && best) return serveBest(best, turn.why, "budget-exceeded");
    if (turn.action === "skip-to-last") {
      noteLatestAttempt(
        run,
        skippedNote(
          turn.why,
          plan.tiers.map((t) => t.id),
          i,
        ),
      );
      i = tiers - 1;
    }
    if (turn.action === "ask-final") {
      spentBeforeAnswer = turn.why;
      askedAfterSpent = true;
    }
    const tier = plan.tiers[i] as LanguageModel;
    const last = i === tiers - 1;
    // A tier asked after the budget ran out streams live and is served as is, like the last one.
    const final = last || turn.action === "ask-final";
    const later = [...plan.tiers.slice(i + 1), ...plan.fallbacks];
    const askedAt = performance.now();
    let opening: AttemptSuccess<OpenedStream | typeof HOLD_WINDOW_ELAPSED>;
    try {
      opening = await open(last ? [tier, ...plan.fallbacks] : [tier], final, askedAt);
    } catch (thrown) {
      const error = toRightsizeError(thrown);
      // The client left or the content was refused: say so. Any other error of a tier (even a
      // 400, e.g. a tier that rejects the logprobs the cascade asked for) escalates.
      if (run.state.signal.aborted || error instanceof ContentFilterError) throw error;
      if (last && best) return serveBest(best, `the last tier failed (${error.message})`, "best-so-far");
      if (last) throw error;
      const exceeded = budgetExceeded(run, settings.budget);
      if (exceeded && best) return serveBest(best, exceeded, "budget-exceeded");
      continue;
    }
    if (opening.value === HOLD_WINDOW_ELAPSED) {
      abandonUnopened(run, opening, `cascade: no first token within the ${holdWindowMs} ms hold window; tier abandoned`);
      const exceeded = budgetExceeded(run, settings.budget);
      if (exceeded && best) return serveBest(best, exceeded, "budget-exceeded");
      continue;
    }
    const opened = opening as AttemptSuccess<OpenedStream>;
    if (last) {
      opened.attempt.note = "cascade: last tier, streamed live";
      return { opened, cascade: { outcome: "last-tier", tier: i + 1, tiers }, candidates: [opened.model, ...later] };
    }
    if (final) {
      opened.attempt.note = `cascade: ${spentBeforeAnswer} before any tier answered; streamed live`;
      return { opened, cascade: { outcome: "budget-exceeded", tier: i + 1, tiers }, candidates: [opened.model, ...later] };
    }
    opened.controller.clearTimeout();
    // The hold window counts from when the tier was asked: the wait for its first token is part of it.
    const holdLeftMs = holdWindowMs === undefined ? Number.POSITIVE_INFINITY : Math.max(0, holdWindowMs - (performance.now() - askedAt));
    const budgetLeftMs = Math.max(1, latencyLeftMs(run, settings.budget));
    const holdMs = holdLeftMs <= budgetLeftMs ? holdWindowMs : budgetLeftMs;
    const heldFor = Math.min(holdLeftMs, budgetLeftMs);
    const held = await holdTierStream(opened.value, plan.gate, earlyAt, Number.isFinite(heldFor) ? heldFor : undefined);
    if (held.status === "early-pass") {
      opened.attempt.note = `gate pass (early): ${held.verdict?.reason ?? ""}`;
      const iterator = keepLogprobs ? opened.value.iterator : withoutLogprobs(opened.value.iterator);
      const released = { ...opened, value: { head: clientParts(held.parts, keepLogprobs), iterator } };
      return { opened: released, cascade: { outcome: "accepted", tier: i + 1, tiers, early: true }, candidates: [tier, ...later] };
    }
    if (held.status === "complete") {
      run.settleAttempt(opened.attempt, held.usage, held.text, opened.startedAtMonotonic);
      const verdict = await plan.gate.evaluate(
        {
          request: run.request,
          tier,
          text: held.text,
          finishReason: held.finishReason,
          refusal: held.refusal || null,
          hasToolCalls: held.hasToolCalls,
          logprobs: held.logprobs.length > 0 ? held.logprobs : null,
        },
        services,
      );
      opened.attempt.note = `gate ${verdict.pass ? "pass" : "fail"}: ${verdict.reason}`;
      const complete = { ...opened, value: { head: clientParts(held.parts, keepLogprobs), iterator: finished } };
      if (verdict.pass) return { opened: complete, cascade: { outcome: "accepted", tier: i + 1, tiers }, candidates: [tier, ...later] };
      if (!best || verdict.score > best.verdict.score) best = { opened: complete, verdict, tier: i + 1 };
    } else abandon(run, env, opened, held, holdMs);
    const exceeded = budgetExceeded(run, settings.budget);
    if (exceeded && best) return serveBest(best, exceeded, "budget-exceeded");
  }
  throw new Error("unreachable: the last tier always streams or throws");

  function serveBest(chosen: Best, why: string, outcome: CascadeInfo["outcome"]): CascadeStreamStart {
    const attempts = run.state.attempts;
    const note = `cascade: ${why}; serving the best answer so far (tier ${chosen.tier})`;
    const lastAttempt = attempts[attempts.length - 1];
    if (lastAttempt) lastAttempt.note = lastAttempt.note ? `${lastAttempt.note}; ${note}` : note;
    return {
      opened: chosen.opened,
      cascade: { outcome, tier: chosen.tier, tiers },
      candidates: [chosen.opened.model, ...plan.tiers.slice(chosen.tier), ...plan.fallbacks],
    };
  }
}

const HOLD_WINDOW_ELAPSED = Symbol("hold-window-elapsed");

class HoldWindowElapsed extends RightsizeError {}

/**
 * Opens a held tier's stream on a signal that aborts when the hold window ends: a tier whose
 * headers or first chunk come later is not waited for (HOLD_WINDOW_ELAPSED, not an error of the model).
 */
async function openWithinHoldWindow(
  model: LanguageModel,
  request: ChatRequest,
  signal: AbortSignal,
  timeouts: StreamTimeouts,
  leftMs: number,
): Promise<OpenedStream | typeof HOLD_WINDOW_ELAPSED> {
  const window = new ChildAbortController(
    signal,
    Math.max(0, leftMs),
    () => new HoldWindowElapsed("the hold window ended", { status: 499 }),
  );
  try {
    const opened = await openStreamAttempt(model, request, window.signal, timeouts);
    // The rest of the stream follows the attempt's signal; the hold goes on in holdTierStream.
    window.clearTimeout();
    return opened;
  } catch (error) {
    window.dispose();
    if (!signal.aborted && window.signal.reason instanceof HoldWindowElapsed) return HOLD_WINDOW_ELAPSED;
    throw error;
  }
}

/** Stops a tier that did not open its stream within the hold window. */
function abandonUnopened(run: RequestRun, opening: AttemptSuccess<unknown>, note: string): void {
  opening.attempt.note = note;
  opening.controller.dispose();
  run.settleAttempt(opening.attempt, undefined, "", opening.startedAtMonotonic);
}

/** Stops a tier whose stream broke, failed the early gate or overran the hold window. */
function abandon(
  run: RequestRun,
  env: AttemptEnvironment,
  opened: AttemptSuccess<OpenedStream>,
  held: HeldStream,
  holdMs: number | undefined,
): void {
  const record = opened.attempt;
  if (held.status === "broken") {
    const error = held.error ?? new RightsizeError("the tier's stream broke");
    record.outcome = run.state.signal.aborted ? "aborted" : "error";
    record.error = error.message;
    record.status = error.upstreamStatus ?? error.status;
    if (!run.state.signal.aborted) env.breaker(opened.model.id).onFailure();
  } else {
    record.note =
      held.status === "early-fail"
        ? `gate fail (early): ${held.verdict?.reason ?? ""}`
        : `cascade: no gate decision within the ${holdMs} ms hold window; tier abandoned`;
    opened.controller.abort(new RightsizeError("the cascade abandoned this tier", { status: 499 }));
  }
  record.partial = held.text.length > 0;
  void opened.value.iterator.return?.().catch(() => undefined);
  opened.controller.dispose();
  run.settleAttempt(record, held.usage, held.text, opened.startedAtMonotonic);
}
