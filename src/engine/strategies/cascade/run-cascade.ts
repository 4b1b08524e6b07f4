import type { ChatRequest } from "../../../core/chat-request.js";
import { ContentFilterError, RightsizeError, toRightsizeError } from "../../../core/errors.js";
import type { LanguageModel } from "../../../core/language-model.js";
import type { StreamPart } from "../../../core/stream-part.js";
import type { AnswerSource } from "../../answer-source.js";
import { ChildAbortController } from "../../child-abort-controller.js";
import type { OpenedStream, StreamTimeouts } from "../../open-stream-attempt.js";
import type { RequestRun } from "../../request-run.js";
import { runAttempts, type AttemptEnvironment, type AttemptSuccess } from "../../run-attempts.js";
import type { ServedAnswer, StrategyContext } from "../execution-strategy.js";
import { budgetExceeded, latencyLeftMs, skippedNote, tierTurn, withinLatencyBudget } from "./cascade-budget.js";
import type { CascadeInfo } from "./cascade-info.js";
import { tierRequest, type CascadePlan } from "./cascade-plan.js";
import { gateServices } from "./gate-services.js";
import type { GateVerdict } from "./gates/quality-gate.js";
import { clientParts, holdTierStream, withoutLogprobs, type HeldStream } from "./hold-tier-stream.js";

interface Best {
  opened: AttemptSuccess<OpenedStream>;
  verdict: GateVerdict;
  tier: number;
}

const finished: AsyncIterator<StreamPart> = { next: async () => ({ done: true, value: undefined }) };

/**
 * A cascade, streamed or not (one implementation: a whole answer is a stream that is already
 * complete). Every tier but the last is held (nothing reaches the client) until the gate
 * decides: on the whole answer, or, for a stream, on the first tokens when the gate can decide
 * early. A pass serves the held answer (after an early pass, the rest of the live stream
 * follows); a fail abandons the tier and asks the next one; a tier that fails outright
 * escalates too. The last tier (with the router's fallbacks behind it) is served as is. When
 * the budget runs out the best-scoring answer so far is served. Every call is an attempt of
 * the run. Resolves before anything is sent, with the answer to serve.
 */
export async function runCascade(plan: CascadePlan, context: StrategyContext): Promise<ServedAnswer> {
  const { run, env, source } = context;
  const services = gateServices(run, env, context.models);
  const settings = plan.router.settings;
  const keepLogprobs = run.request.logprobs === true;
  const tiers = plan.tiers.length;
  // A whole answer is judged whole: early decisions and the hold window are for streams.
  const earlyAt =
    !source.stream || plan.gate.earlyTokens === undefined ? undefined : Math.max(plan.gate.earlyTokens, settings.stream.holdTokens ?? 0);
  const holdWindowMs = source.stream ? settings.stream.holdMs : undefined;
  const lastNote = source.stream ? "streamed live" : "served as is";
  /** Opens a tier; a held tier's first token must come within the hold window, counted from `askedAt`. */
  const open = (models: LanguageModel[], final: boolean, askedAt: number) =>
    runAttempts(models, run, "cascade", final ? env : withinLatencyBudget(env, run, settings.budget), (model, signal) => {
      const request = tierRequest(run.request, plan, final);
      const timeouts = context.timeouts(model.id);
      if (final || holdWindowMs === undefined) return source.open(model, request, signal, timeouts);
      return openWithinHoldWindow(source, model, request, signal, timeouts, holdWindowMs - (performance.now() - askedAt));
    });
  let best: Best | undefined;
  let spentBeforeAnswer: string | undefined;
  let askedAfterSpent = false;
  for (let i = 0; i < tiers; i++) {
    const turn = tierTurn(run, settings.budget, i, tiers, { hasAnswer: best !== undefined, askedAfterSpent });
    if (turn.action === "serve-best" && best) return serveBest(best, turn.why, "budget-exceeded");
    if (turn.action === "skip-to-last") {
      run.latestAttempt()?.note(
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
    // A tier asked after the budget ran out is served as is, like the last one.
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
      opening.controller.dispose();
      opening.attempt.abandon(`cascade: no first token within the ${holdWindowMs} ms hold window; tier abandoned`, {
        usage: undefined,
        text: "",
      });
      const exceeded = budgetExceeded(run, settings.budget);
      if (exceeded && best) return serveBest(best, exceeded, "budget-exceeded");
      continue;
    }
    const opened = opening as AttemptSuccess<OpenedStream>;
    if (last) {
      opened.attempt.note(`cascade: last tier, ${lastNote}`);
      return served(opened, { outcome: "last-tier", tier: i + 1, tiers }, [opened.model, ...later]);
    }
    if (final) {
      opened.attempt.note(`cascade: ${spentBeforeAnswer} before any tier answered; ${lastNote}`);
      return served(opened, { outcome: "budget-exceeded", tier: i + 1, tiers }, [opened.model, ...later]);
    }
    opened.controller.clearTimeout();
    // The hold window counts from when the tier was asked: the wait for its first token is part of it.
    const holdLeftMs = holdWindowMs === undefined ? Number.POSITIVE_INFINITY : Math.max(0, holdWindowMs - (performance.now() - askedAt));
    const budgetLeftMs = source.stream ? Math.max(1, latencyLeftMs(run, settings.budget)) : Number.POSITIVE_INFINITY;
    const holdMs = holdLeftMs <= budgetLeftMs ? holdWindowMs : budgetLeftMs;
    const heldFor = Math.min(holdLeftMs, budgetLeftMs);
    const held = await holdTierStream(opened.value, plan.gate, earlyAt, Number.isFinite(heldFor) ? heldFor : undefined);
    if (held.status === "early-pass") {
      opened.attempt.note(`gate pass (early): ${held.verdict?.reason ?? ""}`);
      const iterator = keepLogprobs ? opened.value.iterator : withoutLogprobs(opened.value.iterator);
      const released = { ...opened, value: { head: clientParts(held.parts, keepLogprobs), iterator } };
      return served(released, { outcome: "accepted", tier: i + 1, tiers, early: true }, [tier, ...later]);
    }
    if (held.status === "complete") {
      opened.controller.dispose();
      opened.attempt.succeed({ usage: held.usage, text: held.text });
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
      opened.attempt.note(`gate ${verdict.pass ? "pass" : "fail"}: ${verdict.reason}`);
      const complete = { ...opened, value: { ...opened.value, head: clientParts(held.parts, keepLogprobs), iterator: finished } };
      if (verdict.pass) return served(complete, { outcome: "accepted", tier: i + 1, tiers }, [tier, ...later]);
      if (!best || verdict.score > best.verdict.score) best = { opened: complete, verdict, tier: i + 1 };
    } else abandon(run, env, opened, held, holdMs);
    const exceeded = budgetExceeded(run, settings.budget);
    if (exceeded && best) return serveBest(best, exceeded, "budget-exceeded");
  }
  throw new Error("unreachable: the last tier always serves or throws");

  function served(opened: AttemptSuccess<OpenedStream>, cascade: CascadeInfo, candidates: LanguageModel[]): ServedAnswer {
    return { opened, cascade, candidates, dropLogprobs: !keepLogprobs };
  }

  function serveBest(chosen: Best, why: string, outcome: CascadeInfo["outcome"]): ServedAnswer {
    run.latestAttempt()?.note(`cascade: ${why}; serving the best answer so far (tier ${chosen.tier})`);
    return served(chosen.opened, { outcome, tier: chosen.tier, tiers }, [
      chosen.opened.model,
      ...plan.tiers.slice(chosen.tier),
      ...plan.fallbacks,
    ]);
  }
}

const HOLD_WINDOW_ELAPSED = Symbol("hold-window-elapsed");

class HoldWindowElapsed extends RightsizeError {}

/**
 * Opens a held tier on a signal that aborts when the hold window ends: a tier whose headers
 * or first chunk come later is not waited for (HOLD_WINDOW_ELAPSED, not an error of the model).
 */
async function openWithinHoldWindow(
  source: AnswerSource,
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
    const opened = await source.open(model, request, window.signal, timeouts);
    // The rest of the stream follows the attempt's signal; the hold goes on in holdTierStream.
    window.clearTimeout();
    return opened;
  } catch (error) {
    window.dispose();
    if (!signal.aborted && window.signal.reason instanceof HoldWindowElapsed) return HOLD_WINDOW_ELAPSED;
    throw error;
  }
}

/** Stops a tier whose stream broke, failed the early gate or overran the hold window. */
function abandon(
  run: RequestRun,
  env: AttemptEnvironment,
  opened: AttemptSuccess<OpenedStream>,
  held: HeldStream,
  holdMs: number | undefined,
): void {
  const output = { usage: held.usage, text: held.text };
  if (held.status === "broken") {
    const aborted = run.state.signal.aborted;
    opened.attempt.fail(held.error ?? new RightsizeError("the tier's stream broke"), aborted, output);
    if (!aborted) env.breaker(opened.model.id).onFailure();
  } else {
    opened.controller.abort(new RightsizeError("the cascade abandoned this tier", { status: 499 }));
    opened.attempt.abandon(
      held.status === "early-fail"
        ? `gate fail (early): ${held.verdict?.reason ?? ""}`
        : `cascade: no gate decision within the ${holdMs} ms hold window; tier abandoned`,
      output,
    );
  }
  void opened.value.iterator.return?.().catch(() => undefined);
  opened.controller.dispose();
}
